//! Personal data never reaches the public unchecked (domain spec §11.3, §11.4): the public
//! request register masks what the scanner finds.

use serde_json::json;

use crate::common::{TestServer, servers, submission};

const SPACED_NIK: &str = "3302 0157 0890 0123";
const SPACED_PHONE: &str = "0812 3456 7890";

fn root(s: &TestServer) -> String {
    s.base.trim_end_matches("/api/v1").to_owned()
}

impl TestServer {
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
