//! Personal data never reaches the public unchecked (domain spec §11.3, §11.4): the public
//! request register masks what the scanner finds, every document is scanned (CSV too), a
//! document that cannot be read is held until an officer says by name that they checked it,
//! and DIP entries with their documents pass the same check as published answers.

use serde_json::{Value, json};

use crate::common::{NIK, TestServer, servers, submission};
use crate::register_pages::{Browser, create_entry, granted_request, sign_in};

const SPACED_NIK: &str = "3302 0157 0890 0123";
const SPACED_PHONE: &str = "0812 3456 7890";

fn entry(title: &str, summary: &str) -> Value {
    json!({
        "kind": "periodic", "title": title, "summary": summary,
        "responsible": "Kepala Bagian Umum", "made_when": "Januari 2026", "made_where": "Kendal",
        "forms": ["softcopy"], "retention": "5 tahun",
    })
}

/// A file that starts like a PDF but is not one: the extractor fails on it.
fn broken_pdf() -> Vec<u8> {
    b"%PDF-1.7\n1 0 obj << /Length 999 >> stream\n\x01\x02garbage".to_vec()
}

/// An image: no text to scan at all.
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(&[0u8; 64]);
    b
}

fn root(s: &TestServer) -> String {
    s.base.trim_end_matches("/api/v1").to_owned()
}

impl TestServer {
    async fn put(&self, path: &str, body: &Value, token: &str) -> (u16, Value) {
        let resp = self
            .http
            .put(format!("{}{path}", self.base))
            .json(body)
            .bearer_auth(token)
            .send()
            .await
            .expect("send");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn upload_file(&self, token: &str, owner: &str, name: &str, bytes: Vec<u8>) -> Value {
        let resp = self
            .http
            .post(format!("{}/documents", self.base))
            .query(&[("owner", owner), ("filename", name)])
            .bearer_auth(token)
            .body(bytes)
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status().as_u16(), 201, "{}: upload {name}", self.name);
        resp.json().await.expect("json")
    }

    /// The status of an anonymous download of a document.
    async fn public_download(&self, doc: &Value) -> u16 {
        let url = doc["url"].as_str().expect("url");
        self.http
            .get(format!("{}{url}", root(self)))
            .send()
            .await
            .expect("get")
            .status()
            .as_u16()
    }

    async fn public_text(&self, path: &str) -> String {
        self.http
            .get(format!("{}{path}", root(self)))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .unwrap_or_default()
    }

    async fn search_urls(&self, q: &str) -> Vec<String> {
        let (status, r) = self.get(&format!("/search?q={q}"), None).await;
        assert_eq!(status, 200, "{}: search {q}", self.name);
        r["hits"]
            .as_array()
            .map(|h| {
                h.iter()
                    .filter_map(|x| x["url"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A published entry without personal data; returns its id.
    async fn published_entry(&self, token: &str, title: &str) -> String {
        let (status, e) = self
            .post(
                "/register/entries",
                &entry(title, "Ringkasan tanpa data pribadi"),
                Some(token),
            )
            .await;
        assert_eq!(status, 201, "{}: {e}", self.name);
        let id = e["id"].as_str().expect("id").to_owned();
        let (status, e) = self
            .post(
                &format!("/register/entries/{id}/publish"),
                &json!({}),
                Some(token),
            )
            .await;
        assert_eq!(status, 200, "{}: {e}", self.name);
        id
    }

    async fn audit(
        &self,
        entity: &str,
        id: &str,
    ) -> Vec<lentera_app::testing::store::audit::AuditRow> {
        lentera_app::testing::store::audit::for_entity(&self.app.db, entity, id)
            .await
            .expect("audit")
    }

    async fn user_id(&self, email: &str) -> uuid::Uuid {
        lentera_app::testing::store::users::get_by_email(&self.app.db, email)
            .await
            .expect("user")
            .id
    }
}

fn ids(docs: &Value) -> Vec<String> {
    docs.as_array()
        .map(|d| {
            d.iter()
                .filter_map(|x| x["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn keys(findings: &Value) -> Vec<Value> {
    findings
        .as_array()
        .map(|f| f.iter().map(|x| x["key"].clone()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_public_register_masks_spaced_numbers_even_across_the_cut() {
    for s in servers().await {
        let mut first = submission("kab-a");
        first["information"] = json!(format!(
            "Salinan data kepesertaan atas nama saya, NIK {SPACED_NIK} telp {SPACED_PHONE}"
        ));
        let (status, r) = s.post("/requests", &first, None).await;
        assert_eq!(status, 201, "{}: {r}", s.name);
        // The phone number straddles the 160th character.
        let mut second = submission("kab-a");
        let lead = "Mohon salinan rincian belanja hibah ".repeat(5);
        let lead: String = lead.chars().take(150).collect();
        second["information"] = json!(format!("{lead} HP {SPACED_PHONE} untuk konfirmasi"));
        let (status, r) = s.post("/requests", &second, None).await;
        assert_eq!(status, 201, "{}: {r}", s.name);

        let page = s.public_text("/b/kab-a/register").await;
        assert!(page.contains("Salinan data kepesertaan"), "{}", s.name);
        for clear in [
            "3302 0157",
            "0157 0890",
            "0890 0123",
            "0812 3456",
            "3456 7890",
            "0812 3",
        ] {
            assert!(
                !page.contains(clear),
                "{}: {clear:?} shown in the public register",
                s.name
            );
        }
        assert!(page.contains("[nomor disamarkan]"), "{}: {page}", s.name);
        // A mask is never cut in half.
        assert!(!page.contains("[nomor disam<") && !page.contains("[nomor disamarkan<"));
        let cut = page
            .split_once("<td>Mohon salinan rincian")
            .and_then(|(_, r)| r.split_once("</td>"))
            .map(|(c, _)| c.to_owned())
            .unwrap_or_else(|| panic!("{}: second summary in {page}", s.name));
        assert!(
            !cut.contains('[') || cut.contains("[nomor disamarkan]"),
            "{}: {cut}",
            s.name
        );
        assert!(
            !cut.chars().any(|c| c.is_ascii_digit()),
            "{}: {cut}",
            s.name
        );
    }
}

#[tokio::test]
async fn an_unreadable_document_is_held_until_an_officer_checks_it_by_name() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let id = s.published_entry(&ppid, "Laporan Aset Daerah 2025").await;
        let owner = format!("entry:{id}");
        let broken = s.upload_file(&ppid, &owner, "aset.pdf", broken_pdf()).await;
        let image = s.upload_file(&ppid, &owner, "foto.png", png()).await;
        for d in [&broken, &image] {
            assert_eq!(d["privacy_check"], "unreadable", "{}: {d}", s.name);
            assert_eq!(d["held"], true, "{}: {d}", s.name);
            // The owner is public, the document is not.
            assert_eq!(s.public_download(d).await, 404, "{}: {d}", s.name);
        }
        let doc = broken["id"].as_str().expect("id").to_owned();
        let (_, public) = s.get(&format!("/register/entries/{id}"), None).await;
        assert!(ids(&public["documents"]).is_empty(), "{}: {public}", s.name);
        let (_, reg) = s.get("/register?body=kab-a", None).await;
        assert!(!reg.to_string().contains(&doc), "{}", s.name);
        let (_, officer_view) = s.get(&format!("/register/entries/{id}"), Some(&ppid)).await;
        assert_eq!(ids(&officer_view["documents"]).len(), 2, "{}", s.name);

        // Only an officer who may edit the entry can check it.
        let other = s.token("ppid@b.id").await;
        let check = format!("/documents/{doc}/check");
        assert_eq!(s.post(&check, &json!({}), Some(&other)).await.0, 404);
        let viewer = s.token("viewer@a.id").await;
        assert_eq!(s.post(&check, &json!({}), Some(&viewer)).await.0, 403);
        assert_eq!(s.post(&check, &json!({}), None).await.0, 401);
        assert!(s.audit("document", &doc).await.is_empty());

        let (status, d) = s.post(&check, &json!({}), Some(&ppid)).await;
        assert_eq!(status, 200, "{}: {d}", s.name);
        assert_eq!(d["privacy_check"], "checked");
        assert_eq!(d["held"], false);
        assert_eq!(d["checked_by"]["name"], "ppid@a.id", "{}: {d}", s.name);
        let log = s.audit("document", &doc).await;
        assert_eq!(log.len(), 1, "{}: {log:?}", s.name);
        assert_eq!(log[0].action, "document.checked");
        assert_eq!(log[0].actor_id, Some(s.user_id("ppid@a.id").await));
        assert!(log[0].detail.contains("ppid@a.id"), "{}", log[0].detail);
        assert_eq!(s.public_download(&broken).await, 200, "{}", s.name);
        assert_eq!(s.public_download(&image).await, 404, "{}", s.name);
        let (_, public) = s.get(&format!("/register/entries/{id}"), None).await;
        assert_eq!(ids(&public["documents"]), vec![doc.clone()], "{}", s.name);
        assert!(
            public["documents"][0].get("checked_by").is_none(),
            "{}: officer names stay in the back office",
            s.name
        );
    }
}

#[tokio::test]
async fn a_csv_attachment_is_scanned_and_held_like_a_pdf() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let csv = format!("nama,nik,desa\nSiti Aminah,{NIK},Sukorejo\n").into_bytes();

        // On a request: the answer cannot be published with it unconfirmed.
        let (number, _) = s.submit("kab-a").await;
        let (status, _) = s
            .post(
                &format!("/requests/{number}/decision"),
                &json!({"outcome": "granted", "note": "Terlampir"}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200);
        let d = s
            .upload_file(
                &ppid,
                &format!("request:{number}"),
                "penerima.csv",
                csv.clone(),
            )
            .await;
        assert_eq!(d["privacy_check"], "personal_data", "{}: {d}", s.name);
        let doc = d["id"].as_str().expect("id").to_owned();
        let path = format!("/requests/{number}/publication");
        let (_, draft) = s.get(&path, Some(&ppid)).await;
        assert!(
            draft["findings"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x["kind"] == "nik" && x["place"] == doc)),
            "{}: {draft}",
            s.name
        );
        let input = json!({"title": "Daftar penerima", "text": "Terlampir.", "documents": [doc]});
        let (status, e) = s.post(&path, &input, Some(&ppid)).await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        assert_eq!(e["error"]["code"], "publication.personal_data");
        assert!(!e.to_string().contains(NIK), "{}", s.name);

        // On a published entry: held, not downloadable, not found.
        let id = s.published_entry(&ppid, "Penerima Hibah Desa").await;
        let d = s
            .upload_file(&ppid, &format!("entry:{id}"), "penerima.csv", csv)
            .await;
        assert_eq!(d["held"], true, "{}: {d}", s.name);
        assert_eq!(s.public_download(&d).await, 404, "{}", s.name);
        assert!(
            !s.search_urls("Sukorejo")
                .await
                .iter()
                .any(|u| u.starts_with("/dokumen/")),
            "{}",
            s.name
        );
    }
}

#[tokio::test]
async fn a_dip_entry_with_a_nik_is_public_only_after_confirmation() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let summary = format!("Daftar penerima bantuan rumah: Budi Santoso NIK {NIK}");
        let (status, e) = s
            .post(
                "/register/entries",
                &entry("Penerima Bantuan Rumah 2026", &summary),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 201, "{}: {e}", s.name);
        let id = e["id"].as_str().expect("id").to_owned();
        let publish = format!("/register/entries/{id}/publish");
        let (status, err) = s.post(&publish, &json!({}), Some(&ppid)).await;
        assert_eq!(status, 422, "{}: {err}", s.name);
        assert_eq!(err["error"]["code"], "publication.personal_data");
        let findings = err["error"]["findings"].clone();
        assert!(
            findings.as_array().is_some_and(|f| f
                .iter()
                .any(|x| x["kind"] == "nik" && x["place"] == "summary")),
            "{}: {err}",
            s.name
        );
        assert!(!err.to_string().contains(NIK), "{}", s.name);

        // Not public, not found, not exported.
        assert_eq!(s.get(&format!("/register/entries/{id}"), None).await.0, 404);
        let path = format!("/b/kab-a/dip/{id}");
        assert!(
            !s.search_urls("bantuan+rumah").await.contains(&path),
            "{}",
            s.name
        );
        let csv = s.public_text("/b/kab-a/dip.csv").await;
        assert!(
            !csv.contains(NIK) && !csv.contains("Bantuan Rumah"),
            "{}",
            s.name
        );

        // Confirmed as public information by its key: published.
        let (status, e) = s
            .post(
                &publish,
                &json!({"confirmed": keys(&findings)}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {e}", s.name);
        assert!(
            s.search_urls("bantuan+rumah").await.contains(&path),
            "{}",
            s.name
        );

        // An edit of a published entry is checked too; the public keeps the old text meanwhile.
        let clean = s.published_entry(&ppid, "Jadwal Pelayanan Kantor").await;
        let mut changed = entry(
            "Jadwal Pelayanan Kantor",
            &format!("Hubungi petugas di {SPACED_PHONE}"),
        );
        let (status, err) = s
            .put(&format!("/register/entries/{clean}"), &changed, &ppid)
            .await;
        assert_eq!(status, 422, "{}: {err}", s.name);
        assert_eq!(err["error"]["code"], "publication.personal_data");
        let (_, public) = s.get(&format!("/register/entries/{clean}"), None).await;
        assert_eq!(public["summary"], "Ringkasan tanpa data pribadi");
        let csv = s.public_text("/b/kab-a/dip.csv").await;
        assert!(!csv.contains("3456"), "{}", s.name);
        changed["confirmed"] = json!(keys(&err["error"]["findings"]));
        let (status, e) = s
            .put(&format!("/register/entries/{clean}"), &changed, &ppid)
            .await;
        assert_eq!(status, 200, "{}: {e}", s.name);
        let (_, public) = s.get(&format!("/register/entries/{clean}"), None).await;
        assert!(
            public["summary"]
                .as_str()
                .is_some_and(|x| x.contains(SPACED_PHONE)),
            "{}: {public}",
            s.name
        );
    }
}

#[tokio::test]
async fn dip_entry_documents_pass_the_same_check_as_answers() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (_, e) = s
            .post(
                "/register/entries",
                &entry("Daftar Penerima Beasiswa", "Penerima beasiswa daerah"),
                Some(&ppid),
            )
            .await;
        let id = e["id"].as_str().expect("id").to_owned();
        let owner = format!("entry:{id}");
        let listed = s
            .upload_file(
                &ppid,
                &owner,
                "penerima.txt",
                format!("Rina Wulandari NIK {NIK} SMAN 1 Patebon").into_bytes(),
            )
            .await;
        let scan = s.upload_file(&ppid, &owner, "scan.png", png()).await;
        let listed_id = listed["id"].as_str().expect("id").to_owned();
        let scan_id = scan["id"].as_str().expect("id").to_owned();

        // Publishing the entry lists both: the NIK in one, the unreadable other.
        let publish = format!("/register/entries/{id}/publish");
        let (status, err) = s.post(&publish, &json!({}), Some(&ppid)).await;
        assert_eq!(status, 422, "{}: {err}", s.name);
        let findings = err["error"]["findings"]
            .as_array()
            .expect("findings")
            .clone();
        assert!(
            findings
                .iter()
                .any(|f| f["place"] == listed_id.as_str() && f["kind"] == "nik"),
            "{}: {err}",
            s.name
        );
        assert!(
            findings
                .iter()
                .any(|f| f["place"] == scan_id.as_str() && f["kind"] == "unreadable"),
            "{}: {err}",
            s.name
        );
        assert_eq!(s.get(&format!("/register/entries/{id}"), None).await.0, 404);

        // Confirming both publishes; confirming the unreadable one is a check by name.
        let all: Vec<Value> = findings.iter().map(|f| f["key"].clone()).collect();
        let (status, e) = s
            .post(&publish, &json!({"confirmed": all}), Some(&ppid))
            .await;
        assert_eq!(status, 200, "{}: {e}", s.name);
        assert_eq!(s.public_download(&listed).await, 200, "{}", s.name);
        assert_eq!(s.public_download(&scan).await, 200, "{}", s.name);
        let log = s.audit("document", &scan_id).await;
        assert_eq!(log.len(), 1, "{}: {log:?}", s.name);
        assert_eq!(log[0].actor_id, Some(s.user_id("ppid@a.id").await));

        // A document added to the published entry later is held until it is checked.
        let late = s
            .upload_file(
                &ppid,
                &owner,
                "tambahan.txt",
                "Susulan: Dedi Kurniawan, telp 0813-2222-3333, Desa Margomulyo"
                    .as_bytes()
                    .to_vec(),
            )
            .await;
        assert_eq!(late["held"], true, "{}: {late}", s.name);
        assert_eq!(s.public_download(&late).await, 404, "{}", s.name);
        assert!(s.search_urls("Margomulyo").await.is_empty(), "{}", s.name);
        let late_id = late["id"].as_str().expect("id").to_owned();
        let (_, public) = s.get(&format!("/register/entries/{id}"), None).await;
        assert!(!ids(&public["documents"]).contains(&late_id), "{}", s.name);
        let (status, _) = s
            .post(
                &format!("/documents/{late_id}/check"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(s.public_download(&late).await, 200, "{}", s.name);
        assert!(
            s.search_urls("Margomulyo")
                .await
                .iter()
                .any(|u| u.starts_with("/dokumen/")),
            "{}",
            s.name
        );
    }
}

#[tokio::test]
async fn an_unreadable_request_document_blocks_the_answer_until_confirmed() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let (number, _) = s.submit("kab-a").await;
        s.post(
            &format!("/requests/{number}/decision"),
            &json!({"outcome": "granted", "note": "Terlampir"}),
            Some(&ppid),
        )
        .await;
        let d = s
            .upload_file(
                &ppid,
                &format!("request:{number}"),
                "salinan.pdf",
                broken_pdf(),
            )
            .await;
        let doc = d["id"].as_str().expect("id").to_owned();
        let path = format!("/requests/{number}/publication");
        let input = json!({"title": "Salinan DPA", "text": "Terlampir.", "documents": [doc]});
        let (status, e) = s.post(&path, &input, Some(&ppid)).await;
        assert_eq!(status, 422, "{}: {e}", s.name);
        let key = format!("unreadable:{doc}");
        assert_eq!(
            e["error"]["findings"][0]["key"],
            key.as_str(),
            "{}: {e}",
            s.name
        );
        assert!(s.audit("document", &doc).await.is_empty());
        let input = json!({"title": "Salinan DPA", "text": "Terlampir.", "documents": [doc], "confirmed": [key]});
        let (status, p) = s.post(&path, &input, Some(&ppid)).await;
        assert_eq!(status, 201, "{}: {p}", s.name);
        let log = s.audit("document", &doc).await;
        assert_eq!(log.len(), 1, "{}: {log:?}", s.name);
        assert_eq!(log[0].actor_id, Some(s.user_id("ppid@a.id").await));
        assert_eq!(s.public_download(&p["documents"][0]).await, 200);
    }
}

#[tokio::test]
async fn the_back_office_shows_held_documents_and_entry_findings() {
    for s in servers().await {
        let mut anon = Browser::new(&s);
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let summary = format!("Penerima: Budi NIK {NIK}");
        let id = create_entry(&mut b, &csrf, "Penerima Bantuan Usaha", &summary).await;
        let blocked = b
            .post(
                &format!("/kantor/register/{id}/publikasi"),
                &[("csrf", &csrf), ("publish", "1")],
            )
            .await;
        assert_eq!(blocked.status, 422, "{}: {}", s.name, blocked.body);
        assert!(
            blocked.body.contains("class=\"findings blocked\""),
            "{}",
            s.name
        );
        // The officer's own text keeps it; the findings show it masked.
        let findings = blocked
            .body
            .split_once("id=\"findings\"")
            .and_then(|(_, r)| r.split_once("</fieldset>"))
            .map(|(f, _)| f.to_owned())
            .expect("findings");
        assert!(
            findings.contains("NIK") && !findings.contains(NIK),
            "{findings}"
        );
        let key = blocked
            .body
            .split("name=\"confirmed\" value=\"")
            .nth(1)
            .and_then(|r| r.split_once('"'))
            .map(|(v, _)| v.to_owned())
            .expect("finding key");
        assert_eq!(anon.get(&format!("/b/kab-a/dip/{id}")).await.status, 404);
        let ok = b
            .post(
                &format!("/kantor/register/{id}/publikasi"),
                &[("csrf", &csrf), ("publish", "1"), ("confirmed", &key)],
            )
            .await;
        assert_eq!(ok.status, 303, "{}: {}", s.name, ok.body);
        assert_eq!(anon.get(&format!("/b/kab-a/dip/{id}")).await.status, 200);

        let up = b
            .upload(
                &format!("/kantor/register/{id}/dokumen"),
                &[("csrf", &csrf)],
                "foto.png",
                "image/png",
                &png(),
            )
            .await;
        assert_eq!(up.status, 303, "{}: {}", s.name, up.body);
        let page = b.get(&format!("/kantor/register/{id}")).await;
        assert!(page.body.contains("id=\"held-documents\""), "{}", s.name);
        assert!(page.body.contains("tidak dapat dibaca"), "{}", s.name);
        let form = page
            .body
            .split("action=\"/kantor/dokumen/")
            .find_map(|r| {
                r.split_once('"')
                    .map(|(a, _)| a.to_owned())
                    .filter(|a| a.ends_with("/periksa"))
            })
            .expect("check form");
        let check = format!("/kantor/dokumen/{form}");
        let public_page = anon.get(&format!("/b/kab-a/dip/{id}")).await;
        assert!(!public_page.body.contains("foto.png"), "{}", s.name);
        let forged = b.post(&check, &[("confirm", "1")]).await;
        assert_eq!(forged.status, 403);
        let unticked = b.post(&check, &[("csrf", &csrf)]).await;
        assert_eq!(unticked.status, 422, "{}: {}", s.name, unticked.body);
        let done = b
            .post(
                &check,
                &[
                    ("csrf", &csrf),
                    ("confirm", "1"),
                    ("kembali", &format!("/kantor/register/{id}")),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}: {}", s.name, done.body);
        let page = b.get(&format!("/kantor/register/{id}")).await;
        assert!(page.body.contains("Diperiksa oleh ppid@a.id"), "{}", s.name);
        let public_page = anon.get(&format!("/b/kab-a/dip/{id}")).await;
        assert!(public_page.body.contains("foto.png"), "{}", s.name);
        assert!(!public_page.body.contains("ppid@a.id"), "{}", s.name);
    }
}

#[tokio::test]
async fn the_publish_form_offers_a_check_for_an_unreadable_document() {
    for s in servers().await {
        let (mut b, csrf) = sign_in(&s, "ppid@a.id").await;
        let number = granted_request(&s, &mut b, &csrf, "Salinan diberikan.").await;
        let up = b
            .upload(
                &format!("/kantor/permohonan/{number}/dokumen"),
                &[("csrf", &csrf)],
                "pindaian.png",
                "image/png",
                &png(),
            )
            .await;
        assert_eq!(up.status, 303, "{}", up.body);
        let form = b
            .get(&format!("/kantor/permohonan/{number}/publikasi"))
            .await;
        let doc = form
            .body
            .split("name=\"documents\" value=\"")
            .nth(1)
            .and_then(|r| r.split_once('"'))
            .map(|(v, _)| v.to_owned())
            .expect("document checkbox");
        let path = format!("/kantor/permohonan/{number}/publikasi");
        let blocked = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("title", "Salinan"),
                    ("text", "Terlampir."),
                    ("documents", &doc),
                ],
            )
            .await;
        assert_eq!(blocked.status, 422, "{}: {}", s.name, blocked.body);
        assert!(
            blocked
                .body
                .contains("Saya sudah memeriksa isi dokumen ini"),
            "{}",
            s.name
        );
        assert!(
            blocked
                .body
                .contains(&format!("name=\"confirmed\" value=\"unreadable:{doc}\"")),
            "{}",
            s.name
        );
        assert!(
            !blocked.body.contains("unreadable</strong>"),
            "no raw codes"
        );
        let ok = b
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("title", "Salinan"),
                    ("text", "Terlampir."),
                    ("documents", &doc),
                    ("confirmed", &format!("unreadable:{doc}")),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}: {}", s.name, ok.body);
    }
}

/// A decided consequence test is public (the DIK, its page, the API): an identity number or a
/// telephone typed into its texts is refused when it is decided, and the test is decided once
/// the text is cleaned.
#[tokio::test]
async fn a_consequence_test_with_a_nik_is_not_decided_until_cleaned() {
    for s in servers().await {
        let ppid = s.token("ppid@a.id").await;
        let mut raw = json!({
            "information": "Data pribadi penerima bantuan sosial",
            "grounds": ["17h"],
            "harm": format!("Mengungkap rahasia pribadi penerima, antara lain Budi NIK {SPACED_NIK}"),
            "public_interest": "Pelindungan data pribadi lebih besar",
            "period_kind": "until_date",
            "period_until": "2030-12-31",
        });
        let (status, t) = s.post("/consequence-tests", &raw, Some(&ppid)).await;
        assert_eq!(status, 201, "{}: {t}", s.name);
        let id = t["id"].as_str().expect("id").to_owned();
        let (status, t) = s
            .post(
                &format!("/consequence-tests/{id}/submit"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {t}", s.name);
        let decide = json!({"number": "KU-1/2026", "place": "Kendal", "official": "PPID Utama"});
        let path = format!("/consequence-tests/{id}/decide");
        let (status, err) = s.post(&path, &decide, Some(&ppid)).await;
        assert_eq!(status, 422, "{}: {err}", s.name);
        assert_eq!(err["error"]["code"], "publication.personal_data");
        let found = err["error"]["findings"].to_string();
        assert!(found.contains("harm"), "{}: {found}", s.name);
        assert!(
            !found.contains(SPACED_NIK),
            "{}: the finding is masked",
            s.name
        );
        assert_eq!(
            s.get(&format!("/consequence-tests/{id}"), None).await.0,
            404,
            "{}: not public while undecided",
            s.name
        );

        // Cleaned, it is decided and public, without the number.
        raw["harm"] = json!("Mengungkap rahasia pribadi penerima");
        let (status, t) = s
            .post(&format!("/consequence-tests/{id}/amend"), &raw, Some(&ppid))
            .await;
        assert_eq!(status, 200, "{}: {t}", s.name);
        let (status, t) = s
            .post(
                &format!("/consequence-tests/{id}/submit"),
                &json!({}),
                Some(&ppid),
            )
            .await;
        assert_eq!(status, 200, "{}: {t}", s.name);
        let (status, t) = s.post(&path, &decide, Some(&ppid)).await;
        assert_eq!(status, 200, "{}: {t}", s.name);
        let (status, public) = s.get(&format!("/consequence-tests/{id}"), None).await;
        assert_eq!(status, 200, "{}", s.name);
        assert!(!public.to_string().contains("3302"), "{}: {public}", s.name);
    }
}
