//! A dashboard "browser" for tests: reqwest with a hand-kept cookie jar
//! and no automatic redirects, plus dashboard users and multipart forms.

use std::collections::BTreeMap;

use cashier_gateway::dashboard::{create_user, NewUser};
use cashier_gateway::store::ClientId;
use reqwest::StatusCode;

use super::{input_value, TestApp};

/// The password of every dashboard user tests create.
pub const PASSWORD: &str = "correct horse battery";

/// A browser: cookies by name (the dashboard's are all `Path=/dashboard`),
/// no automatic redirects.
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            base: format!("http://{}", app.addr),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn finish(&mut self, r: reqwest::Response) -> Page {
        let set_cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for c in &set_cookies {
            let (kv, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        Page {
            status: r.status(),
            location: r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string()),
            set_cookies,
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    /// Opens the login page and submits it.
    pub async fn login(&mut self, email: &str, password: &str) -> Page {
        let page = self.get("/dashboard/login").await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = input_value(&page.body, "csrf").expect("login form has a CSRF token");
        self.post(
            "/dashboard/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    pub async fn logged_in(app: &TestApp, email: &str) -> Browser {
        let mut b = Browser::new(app);
        let p = b.login(email, PASSWORD).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
        b
    }
}

pub async fn user(app: &TestApp, email: &str, client_id: Option<&str>) {
    create_user(
        app.state.store.as_ref(),
        NewUser {
            email,
            client_id: client_id.map(ClientId::from).as_ref(),
            admin: client_id.is_none(),
            password: Some(PASSWORD),
            now: app.state.now_ts(),
        },
    )
    .await
    .expect("user created");
}

/// A multipart/form-data body (text fields, then an optional file).
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----cashier-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, filename, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Browser {
    pub async fn post_multipart(&mut self, path: &str, ct: String, body: Vec<u8>) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }
}
