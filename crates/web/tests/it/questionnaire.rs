//! The admins' questionnaire editor in the back office, over real HTTP with sessions and CSRF.

use crate::common::{PASSWORD, TestServer, servers};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn root(s: &TestServer) -> String {
    s.base.trim_end_matches("/api/v1").to_owned()
}

fn csrf_of(html: &str) -> String {
    html.split_once("name=\"csrf\" value=\"")
        .and_then(|(_, r)| r.split_once('"'))
        .map(|(v, _)| v.to_owned())
        .expect("csrf")
}

fn cookies_of(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect()
}

async fn sign_in(s: &TestServer, email: &str) -> String {
    let http = client();
    let login = http
        .get(format!("{}/kantor/masuk", root(s)))
        .send()
        .await
        .expect("get");
    let mut cookies = cookies_of(&login);
    let csrf = csrf_of(&login.text().await.expect("text"));
    let r = http
        .post(format!("{}/kantor/masuk", root(s)))
        .header("cookie", cookies.join("; "))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 303, "{}: sign-in {email}", s.name);
    cookies.extend(cookies_of(&r));
    cookies.join("; ")
}

/// The form fields of the page as (name, value) pairs: inputs and the selected options.
fn fields_of(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<input").skip(1) {
        let tag = part.split('>').next().unwrap_or("");
        let attr = |a: &str| {
            tag.split_once(&format!("{a}=\""))
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(v, _)| {
                    v.replace("&amp;", "&")
                        .replace("&quot;", "\"")
                        .replace("&#x27;", "'")
                })
        };
        if let Some(name) = attr("name") {
            out.push((name, attr("value").unwrap_or_default()));
        }
    }
    for part in html.split("<select").skip(1) {
        let name = part
            .split_once("name=\"")
            .and_then(|(_, r)| r.split_once('"'))
            .map(|(v, _)| v.to_owned())
            .unwrap_or_default();
        let body = part.split("</select>").next().unwrap_or("");
        let selected = body
            .split("<option")
            .find(|o| o.contains(" selected"))
            .and_then(|o| o.split_once("value=\""))
            .and_then(|(_, r)| r.split_once('"'))
            .map(|(v, _)| v.to_owned())
            .unwrap_or_default();
        out.push((name, selected));
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let f = fields
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    f.1 = value.to_owned();
}

#[tokio::test]
async fn admins_edit_the_questionnaire_and_others_cannot() {
    for s in servers().await {
        let http = client();
        let url = format!("{}/kantor/monev/kuesioner?year=2026", root(&s));

        let ppid = sign_in(&s, "ppid@a.id").await;
        let r = http
            .get(&url)
            .header("cookie", &ppid)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status().as_u16(), 403, "{}", s.name);

        let admin = sign_in(&s, "admin@a.id").await;
        let r = http
            .get(&url)
            .header("cookie", &admin)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status().as_u16(), 200, "{}", s.name);
        let html = r.text().await.expect("text");
        assert!(html.contains("kuesioner bawaan"), "{}", s.name);
        let mut fields = fields_of(&html);
        let post = |fields: Vec<(String, String)>, cookie: String| {
            let http = http.clone();
            let url = format!("{}/kantor/monev/kuesioner", root(&s));
            async move {
                http.post(url)
                    .header("cookie", cookie)
                    .form(&fields)
                    .send()
                    .await
                    .expect("post")
            }
        };

        // Weights that no longer add up: refused, with what was typed kept.
        set(&mut fields, "saq_weight", "85");
        set(&mut fields, "i0_q0_text", "Teks <b>baru</b> yang diketik");
        let r = post(fields.clone(), admin.clone()).await;
        assert_eq!(r.status().as_u16(), 422, "{}", s.name);
        let html = r.text().await.expect("text");
        assert!(html.contains("harus berjumlah 100"), "{}", s.name);
        assert!(
            html.contains("yang diketik") && !html.contains("<b>baru"),
            "{}: typed text kept and escaped",
            s.name
        );

        // Without the form's token: refused.
        let mut no_csrf = fields.clone();
        no_csrf.retain(|(n, _)| n != "csrf");
        set(&mut fields, "saq_weight", "80");
        assert_eq!(post(no_csrf, admin.clone()).await.status().as_u16(), 403);

        // A changed text and a new question in the first blank row of indicator 0.
        let blank = fields
            .iter()
            .filter(|(n, v)| n.starts_with("i0_q") && n.ends_with("_code") && v.is_empty())
            .map(|(n, _)| n.trim_end_matches("_code").to_owned())
            .next()
            .expect("a blank row");
        set(&mut fields, &format!("{blank}_code"), "X9");
        set(
            &mut fields,
            &format!("{blank}_text"),
            "Ada layanan informasi keliling",
        );
        set(&mut fields, &format!("{blank}_weight"), "2");
        set(&mut fields, &format!("{blank}_check"), "on_time_at_least");
        set(&mut fields, &format!("{blank}_threshold"), "90");
        let r = post(fields.clone(), admin.clone()).await;
        assert_eq!(
            r.status().as_u16(),
            303,
            "{}: {}",
            s.name,
            r.text().await.unwrap_or_default()
        );

        let (status, q) = s
            .get("/self-assessment/questionnaire?year=2026", None)
            .await;
        assert_eq!(status, 200, "{}: {q}", s.name);
        let text = q.to_string();
        assert!(
            text.contains("Ada layanan informasi keliling"),
            "{}: {q}",
            s.name
        );
        assert!(text.contains("Teks <b>baru</b> yang diketik"), "{}", s.name);
        assert!(text.contains("\"on_time_at_least\":90"), "{}: {q}", s.name);
    }
}
