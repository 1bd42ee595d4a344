//! The register, consequence tests, documents, publications and search over the API, on both
//! databases, with a real tantivy index and real files.

use std::sync::Arc;

use lentera_app::lentera_search::SearchIndex;
use lentera_app::testing::store::{Db, DbOptions};
use lentera_app::{App, AppConfig, Secret};
use serde_json::{Value, json};
use time::macros::datetime;

use crate::common::{TestServer, servers};

fn entry(title: &str, summary: &str) -> Value {
    json!({
        "kind": "periodic", "title": title, "summary": summary,
        "responsible": "Kepala Bagian Umum", "made_when": "Januari 2026", "made_where": "Kendal",
        "forms": ["softcopy", "hardcopy"], "retention": "5 tahun", "checklist": "berkala.keuangan",
    })
}

impl TestServer {
    async fn upload(
        &self,
        token: &str,
        owner: &str,
        filename: &str,
        bytes: Vec<u8>,
    ) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}/documents", self.base))
            .query(&[("owner", owner), ("filename", filename)])
            .bearer_auth(token)
            .body(bytes)
            .send()
            .await
            .expect("send");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn search(&self, q: &str) -> Value {
        let resp = self
            .http
            .get(format!("{}/search", self.base))
            .query(&[("q", q)])
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status().as_u16(), 200, "{}: search {q:?}", self.name);
        resp.json().await.expect("json")
    }

    async fn count_documents(&self) -> i64 {
        lentera_app::testing::store::with_conn!(self.app.db.read(), |pool| sqlx::query_scalar::<
            _,
            i64,
        >(
            "SELECT COUNT(*) FROM documents"
        )
        .fetch_one(pool)
        .await)
        .expect("count")
    }
}

fn urls(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(|x| x["url"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn pdf(text: &str) -> Vec<u8> {
    let mut d = lentera_render::Document::new("Dokumen uji");
    d.push(lentera_render::Block::Paragraph(text.into()));
    d.to_pdf()
}

#[tokio::test]
async fn a_refusal_on_pasal_17_must_cite_a_decided_consequence_test() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (number, _) = s.submit("kab-a").await;
        let path = format!("/requests/{number}/decision");
        let bare =
            json!({"outcome": "rejected_exempt", "grounds": ["17h"], "consequence_test": null});
        let (status, e) = s.post(&path, &bare, Some(&ppid)).await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        assert_eq!(
            e["error"]["fields"]["consequence_test"][0],
            "required_for_rejected_exempt"
        );

        // A draft is not enough, and neither is an unknown id.
        let draft = json!({"information": "Berkas penyidikan", "grounds": ["17h"]});
        let (status, t) = s.post("/consequence-tests", &draft, Some(&ppid)).await;
        assert_eq!(status, 201, "{}: {t}", s.name);
        let draft_id = t["id"].as_str().expect("id").to_owned();
        let (status, e) = s
            .post(
                &path,
                &json!({"outcome": "rejected_exempt", "consequence_test": draft_id}),
                Some(&ppid),
            )
            .await;
        assert_eq!(
            (status, e["error"]["fields"]["consequence_test"][0].as_str()),
            (422, Some("not_decided"))
        );
        // Submitting the incomplete draft lists every missing minimum field.
        let (status, e) = s
            .post(
                &format!("/consequence-tests/{draft_id}/submit"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        for f in ["harm", "public_interest", "period_kind"] {
            assert!(
                e["error"]["fields"][f].is_array(),
                "{}: {f} missing in {e}",
                s.name
            );
        }

        // Units propose; only the PPID decides.
        let unit = s.token("dinkes@a.id").await;
        let (status, _) = s
            .post(
                &format!("/consequence-tests/{draft_id}/decide"),
                &json!({"number": "x", "place": "y", "official": "z"}),
                Some(&unit),
            )
            .await;
        assert_eq!(status, 403, "{}", s.name);

        let test = s.decided_test(&ppid, &["17h"], "188/2/PPID/2026").await;
        let wrong =
            json!({"outcome": "rejected_exempt", "grounds": ["17a"], "consequence_test": test});
        let (status, e) = s.post(&path, &wrong, Some(&ppid)).await;
        assert_eq!(
            (status, e["error"]["fields"]["consequence_test"][0].as_str()),
            (422, Some("grounds_not_in_test"))
        );
        // Cited by its determination number, without grounds: they come from the test.
        let ok = json!({"outcome": "rejected_exempt", "consequence_test": "188/2/PPID/2026"});
        let (status, r) = s.post(&path, &ok, Some(&ppid)).await;
        assert_eq!(status, 200, "{}: {r}", s.name);
        assert_eq!(r["decision"]["grounds"], json!(["17h"]));

        // The decided test is in the public DIK; the draft is not.
        let (status, reg) = s.get("/register?body=kab-a", None).await;
        assert_eq!(status, 200, "{}: {reg}", s.name);
        let dik: Vec<&str> = reg["dik"]
            .as_array()
            .expect("dik")
            .iter()
            .filter_map(|t| t["id"].as_str())
            .collect();
        assert_eq!(dik, vec![test.as_str()], "{}", s.name);
        assert_eq!(
            s.get(&format!("/consequence-tests/{test}"), None).await.0,
            200
        );
        assert_eq!(
            s.get(&format!("/consequence-tests/{draft_id}"), None)
                .await
                .0,
            404
        );
        assert_eq!(
            s.get("/register?body=kab-b", None).await.1["dik"],
            json!([])
        );
        // Found by its number and by its words.
        assert!(
            urls(&s.search("188/2/PPID/2026").await)
                .iter()
                .any(|u| u.ends_with(&test)),
            "{}",
            s.name
        );
    }
}

#[tokio::test]
async fn exemptions_on_17a_to_17f_end_within_thirty_years() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let raw = json!({"information": "Berkas penyelidikan", "grounds": ["17a"], "harm": "x", "public_interest": "y",
                         "period_kind": "until_date", "period_until": "2060-01-01"});
        let (_, t) = s.post("/consequence-tests", &raw, Some(&ppid)).await;
        let id = t["id"].as_str().expect("id");
        assert_eq!(
            s.post(
                &format!("/consequence-tests/{id}/submit"),
                &json!({}),
                Some(&ppid)
            )
            .await
            .0,
            200
        );
        let (status, e) = s
            .post(
                &format!("/consequence-tests/{id}/decide"),
                &json!({"number": "1", "place": "K", "official": "P"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        assert_eq!(
            e["error"]["fields"]["period_until"][0],
            "more_than_30_years"
        );
        let open_ended = json!({"information": "x", "grounds": ["17b"], "harm": "x", "public_interest": "y", "period_kind": "while_other_law"});
        let (_, t) = s.post("/consequence-tests", &open_ended, Some(&ppid)).await;
        let id = t["id"].as_str().expect("id");
        let (status, e) = s
            .post(
                &format!("/consequence-tests/{id}/submit"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(
            (status, e["error"]["fields"]["period_kind"][0].as_str()),
            (422, Some("date_required_for_17a_17f"))
        );
    }
}

#[tokio::test]
async fn entries_are_public_only_when_published_and_leave_search_at_once() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (status, e) = s
            .post("/register/entries", &json!({"kind": "exempt"}), Some(&ppid))
            .await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        for f in [
            "kind",
            "title",
            "summary",
            "responsible",
            "made_when",
            "retention",
            "forms",
        ] {
            assert!(e["error"]["fields"][f].is_array(), "{}: {f} in {e}", s.name);
        }
        let (status, en) = s
            .post(
                "/register/entries",
                &entry(
                    "Laporan Permohonan Informasi 2025",
                    "Rekapitulasi permohonan dan keberatan",
                ),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 201, "{}: {en}", s.name);
        let id = en["id"].as_str().expect("id").to_owned();
        assert_eq!(
            s.get(&format!("/register/entries/{id}"), None).await.0,
            404,
            "{}: draft is private",
            s.name
        );
        assert!(urls(&s.search("permohonan").await).is_empty());
        let (_, reg) = s.get("/register?body=kab-a", None).await;
        let missing_before = reg["missing"].as_array().map_or(0, Vec::len);

        // Another body's PPID cannot touch it.
        let other = s.token("ppid@b.id").await;
        assert_eq!(
            s.post(
                &format!("/register/entries/{id}/publish"),
                &json!({}),
                Some(&other)
            )
            .await
            .0,
            404
        );
        let (status, p) = s
            .post(
                &format!("/register/entries/{id}/publish"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {p}", s.name);
        assert_eq!(s.get(&format!("/register/entries/{id}"), None).await.0, 200);
        let (_, reg) = s.get("/register?body=kab-a", None).await;
        assert!(
            reg["missing"].as_array().map_or(0, Vec::len) < missing_before,
            "{}: checklist",
            s.name
        );

        // Indonesian stemming: `mohon` and `pemohon` meet `permohonan`.
        for q in ["permohonan", "mohon", "pemohon", "PERMOHONAN informasi"] {
            assert!(
                urls(&s.search(q).await).iter().any(|u| u.ends_with(&id)),
                "{}: {q}",
                s.name
            );
        }
        let r = s.search("permohonan").await;
        assert_eq!(r["hits"][0]["kind"], "periodic");
        assert_eq!(r["hits"][0]["body"], "kab-a");
        assert!(r["facets"]["kind"].is_array());
        let (status, _) = s.get("/search?q=permohonan&kind=nonsense", None).await;
        assert_eq!(status, 422);
        let (_, r) = s.get("/search?q=permohonan&body=kab-b", None).await;
        assert_eq!(r["total"], 0, "{}: body filter", s.name);

        // Unpublishing needs a reason and removes it from results before answering.
        assert_eq!(
            s.post(
                &format!("/register/entries/{id}/unpublish"),
                &json!({}),
                Some(&ppid)
            )
            .await
            .0,
            422
        );
        let (status, _) = s
            .post(
                &format!("/register/entries/{id}/unpublish"),
                &json!({"reason": "Salah unggah"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200);
        assert!(
            urls(&s.search("permohonan").await).is_empty(),
            "{}: still found",
            s.name
        );
        assert_eq!(s.get(&format!("/register/entries/{id}"), None).await.0, 404);
    }
}

#[tokio::test]
async fn hostile_queries_answer_results_or_nothing() {
    for s in servers().await {
        let long = "informasi ".repeat(1100);
        for q in [
            "\"",
            "((",
            "AND OR NOT",
            "-",
            "*:*",
            "~1^2",
            "\"unclosed phrase",
            "a:b:c",
            "\u{0}",
            "",
            "   ",
            long.as_str(),
        ] {
            let r = s.search(q).await;
            assert!(r["hits"].is_array(), "{}: {q:?} -> {r}", s.name);
        }
        assert_eq!(s.get("/search?q=x&limit=0", None).await.0, 422);
        assert_eq!(s.get("/search?q=x&limit=abc", None).await.0, 422);
    }
}

#[tokio::test]
async fn documents_are_checked_by_content_and_follow_their_entry() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (_, en) = s
            .post(
                "/register/entries",
                &entry("Realisasi Anggaran 2025", "Ringkasan realisasi belanja"),
                Some(&ppid),
            )
            .await;
        let id = en["id"].as_str().expect("id").to_owned();
        let owner = format!("entry:{id}");

        // Refused uploads store nothing.
        let before = s.count_documents().await;
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".repeat(8);
        let (status, e) = s.upload(&ppid, &owner, "laporan.pdf", elf).await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        assert_eq!(e["error"]["fields"]["file"][0], "file.type_not_allowed");
        let (status, e) = s.upload(&ppid, &owner, "laporan.docx", pdf("x")).await;
        assert_eq!(
            (status, e["error"]["fields"]["file"][0].as_str()),
            (422, Some("file.type_mismatch"))
        );
        let (status, _) = s
            .upload(&ppid, &owner, "besar.txt", vec![b'a'; 21 * 1024 * 1024])
            .await;
        assert!(status == 413 || status == 422, "{}: {status}", s.name);
        assert_eq!(
            s.count_documents().await,
            before,
            "{}: nothing stored",
            s.name
        );

        let (status, d) = s
            .upload(
                &ppid,
                &owner,
                "realisasi.pdf",
                pdf("Belanja hibah kelurahan Sukamaju dianggarkan"),
            )
            .await;
        assert_eq!(status, 201, "{}: {d}", s.name);
        assert_eq!(d["mime"], "application/pdf");
        assert_eq!(d["sha256"].as_str().map(str::len), Some(64));
        let unit = s.token("dinkes@a.id").await;
        assert_eq!(
            s.upload(&unit, &owner, "x.txt", b"abc".to_vec()).await.0,
            403,
            "{}: unit edits own unit only",
            s.name
        );

        // The document's text is searchable once the entry is public, and not before.
        assert!(urls(&s.search("sukamaju").await).is_empty(), "{}", s.name);
        s.post(
            &format!("/register/entries/{id}/publish"),
            &json!({}),
            Some(&ppid),
        )
        .await;
        let found = urls(&s.search("Sukamaju").await);
        assert!(
            found.iter().any(|u| u.starts_with("/dokumen/")),
            "{}: {found:?}",
            s.name
        );
        let doc_id = d["id"].as_str().expect("id");
        let (status, _) = s.get(&format!("/register/entries/{id}"), None).await;
        assert_eq!(status, 200);
        let resp = s
            .http
            .delete(format!("{}/documents/{doc_id}", s.base))
            .bearer_auth(&ppid)
            .send()
            .await
            .expect("delete");
        assert_eq!(resp.status().as_u16(), 204);
        assert!(
            urls(&s.search("Sukamaju").await).is_empty(),
            "{}: removed document still found",
            s.name
        );
    }
}

#[tokio::test]
async fn answers_are_published_after_the_personal_data_check_and_withdrawn_at_once() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (number, _) = s.submit("kab-a").await;
        let path = format!("/requests/{number}/publication");
        // Only granted answers can be published.
        assert_eq!(s.get(&path, Some(&ppid)).await.0, 409, "{}", s.name);
        let (status, _) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Terlampir"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200);
        let (status, d) = s
            .upload(
                &ppid,
                &format!("request:{number}"),
                "dpa.txt",
                "DPA 2026 penanggung jawab NIK 3374014501900002"
                    .as_bytes()
                    .to_vec(),
            )
            .await;
        assert_eq!(status, 201, "{}: {d}", s.name);
        let doc = d["id"].as_str().expect("id").to_owned();
        let (status, draft) = s.get(&path, Some(&ppid)).await;
        assert_eq!(status, 200, "{}: {draft}", s.name);
        assert!(
            draft["findings"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x["kind"] == "nik")),
            "{}: {draft}",
            s.name
        );

        let input = json!({"title": "Salinan DPA Dinas Pendidikan 2026",
                           "text": "DPA terlampir. Hubungi 0812-3456-7890 untuk salinan cetak.", "documents": [doc]});
        let (status, e) = s.post(&path, &input, Some(&ppid)).await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        assert_eq!(e["error"]["code"], "publication.personal_data");
        let findings = e["error"]["findings"].as_array().expect("findings").clone();
        let kinds: Vec<&str> = findings.iter().filter_map(|f| f["kind"].as_str()).collect();
        assert!(
            kinds.contains(&"nik") && kinds.contains(&"phone"),
            "{}: {kinds:?}",
            s.name
        );
        assert!(
            !e.to_string().contains("3374014501900002"),
            "{}: the NIK itself is echoed",
            s.name
        );

        // Removing the phone from the text and confirming the rest lets it through.
        let keys: Vec<Value> = findings
            .iter()
            .filter(|f| f["kind"] == "nik")
            .map(|f| f["key"].clone())
            .collect();
        let input = json!({"title": "Salinan DPA Dinas Pendidikan 2026", "text": "DPA terlampir.", "documents": [doc], "confirmed": keys});
        let (status, p) = s.post(&path, &input, Some(&ppid)).await;
        assert_eq!(status, 201, "{}: {p}", s.name);
        let pid = p["id"].as_str().expect("id").to_owned();
        assert_eq!(s.get(&format!("/publications/{pid}"), None).await.0, 200);
        let (_, list) = s.get("/publications?body=kab-a", None).await;
        assert_eq!(list.as_array().map(Vec::len), Some(1));
        // Found by the registration number and by words.
        assert!(
            urls(&s.search(&number).await)
                .iter()
                .any(|u| u.ends_with(&pid)),
            "{}: by number",
            s.name
        );
        assert!(
            urls(&s.search("dinas pendidikan").await)
                .iter()
                .any(|u| u.ends_with(&pid)),
            "{}",
            s.name
        );

        assert_eq!(
            s.post(
                &format!("/publications/{pid}/unpublish"),
                &json!({}),
                Some(&ppid)
            )
            .await
            .0,
            422
        );
        let (status, _) = s
            .post(
                &format!("/publications/{pid}/unpublish"),
                &json!({"reason": "Memuat data pribadi"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200);
        assert!(
            urls(&s.search(&number).await).is_empty(),
            "{}: withdrawn answer still found",
            s.name
        );
        assert_eq!(s.get(&format!("/publications/{pid}"), None).await.0, 404);
    }
}

/// The index on disk keeps its cursor across restarts; a rebuild gives the same documents.
#[tokio::test]
async fn the_index_survives_a_restart_and_rebuilds_from_the_database() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let dir = tempfile_dir(s.name);
        let open_app = |url: String, dir: std::path::PathBuf| async move {
            let db = Db::connect(&url, &DbOptions::default()).await.expect("db");
            let app = App::new(
                db,
                Secret::from_key([3; 32]),
                Arc::new(lentera_app::FixedClock::new(
                    datetime!(2026-02-02 03:00 UTC),
                )),
                AppConfig::default(),
            )
            .expect("app");
            app.set_search_index(Arc::new(SearchIndex::open(&dir).expect("open index")));
            app
        };
        let (_, en) = s
            .post(
                "/register/entries",
                &entry("Rencana Strategis Dinas", "Renstra lima tahunan"),
                Some(&ppid),
            )
            .await;
        let id = en["id"].as_str().expect("id").to_owned();
        s.post(
            &format!("/register/entries/{id}/publish"),
            &json!({}),
            Some(&ppid),
        )
        .await;

        let first = open_app(s.url.clone(), dir.clone()).await;
        assert!(first.sync_index().await.expect("sync") > 0);
        let cursor = first.search_index().cursor();
        assert!(cursor > 0);
        drop(first);
        let second = open_app(s.url.clone(), dir.clone()).await;
        assert_eq!(
            second.search_index().cursor(),
            cursor,
            "{}: cursor lost",
            s.name
        );
        assert_eq!(
            second.sync_index().await.expect("sync"),
            0,
            "{}: replayed",
            s.name
        );
        let q = lentera_app::lentera_search::SearchQuery {
            q: "renstra".into(),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(second.search(q.clone()).await.expect("search").total, 1);
        let n = second.reindex(&|_, _| {}).await.expect("reindex");
        assert_eq!(n, 1, "{}", s.name);
        assert_eq!(second.search(q).await.expect("search").total, 1);
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("lentera-index-{name}-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&d).expect("dir");
    d
}

/// Issue 15, finding 3: a request's attachment is read as the request is, by the officers who
/// may see the case (not another unit's, not admins); a unit officer proposes and amends only
/// its own consequence tests.
#[tokio::test]
async fn attachments_and_tests_stay_with_their_unit() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (number, _) = s.submit("kab-a").await;
        let (status, v) = s
            .post(
                &format!("/requests/{number}/route"),
                &json!({"unit": "kab-a-dinkes"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {v}", s.name);
        let (status, d) = s
            .upload(
                &ppid,
                &format!("request:{number}"),
                "jawaban.txt",
                b"Jawaban untuk pemohon".to_vec(),
            )
            .await;
        assert_eq!(status, 201, "{}: {d}", s.name);
        let doc: uuid::Uuid = d["id"].as_str().and_then(|i| i.parse().ok()).expect("id");
        for (email, sees) in [
            ("ppid@a.id", true),
            ("dinkes@a.id", true),
            ("disdik@a.id", false),
            ("admin@a.id", false),
            ("ppid@b.id", false),
        ] {
            let officer = s
                .app
                .authenticate(&s.token(email).await)
                .await
                .expect("officer");
            let got = s.app.document_for_download(doc, Some(&officer)).await;
            assert_eq!(
                got.is_ok(),
                sees,
                "{}: {email} reading the attachment",
                s.name
            );
        }
        assert!(s.app.document_for_download(doc, None).await.is_err());

        let unit = s.token("dinkes@a.id").await;
        let other =
            json!({"information": "Data pasien", "grounds": ["17h"], "unit": "kab-a-disdik"});
        let (status, _) = s.post("/consequence-tests", &other, Some(&unit)).await;
        assert_eq!(status, 403, "{}: a test labelled with another unit", s.name);
        let own = json!({"information": "Data pasien", "grounds": ["17h"]});
        let (status, t) = s.post("/consequence-tests", &own, Some(&unit)).await;
        assert_eq!(status, 201, "{}: {t}", s.name);
        let (status, parent) = s.post("/consequence-tests", &own, Some(&ppid)).await;
        assert_eq!(status, 201, "{}: {parent}", s.name);
        let parent_id = parent["id"].as_str().expect("id");
        let (status, _) = s
            .post(
                &format!("/consequence-tests/{parent_id}/amend"),
                &json!({"information": "Diubah unit", "grounds": ["17h"]}),
                Some(&unit),
            )
            .await;
        assert_eq!(status, 403, "{}: a unit amends the PPID's test", s.name);
        let own_id = t["id"].as_str().expect("id");
        let (status, v) = s
            .post(
                &format!("/consequence-tests/{own_id}/amend"),
                &json!({"information": "Data pasien rawat inap", "grounds": ["17h"]}),
                Some(&unit),
            )
            .await;
        assert_eq!(status, 200, "{}: its own test: {v}", s.name);
    }
}
