//! `LENTERA_SMTP_URL`: `smtp://[user[:password]@]host[:port][?tls=required]` speaks SMTP and
//! upgrades with STARTTLS when the server offers it (`tls=required` insists on it);
//! `smtps://…` is TLS from the first byte. User and password may be percent-encoded.

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// STARTTLS when offered, plain otherwise.
    Opportunistic,
    /// STARTTLS or no mail.
    Required,
    /// TLS from the start (`smtps`).
    Wrapper,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpUrl {
    // The password never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpUrl")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl SmtpUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| "expected smtp://host:port or smtps://host:port".to_owned())?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let rest = rest.trim_end_matches('/');
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (user, password) = match auth {
            None => (None, None),
            Some(a) => {
                let (u, p) = a.split_once(':').map_or((a, None), |(u, p)| (u, Some(p)));
                let u = decode(u).ok_or("the user name is not valid percent-encoding")?;
                let p = p
                    .map(|p| decode(p).ok_or("the password is not valid percent-encoding"))
                    .transpose()?;
                (Some(u).filter(|u| !u.is_empty()), p)
            }
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (
                h,
                Some(
                    p.parse::<u16>()
                        .map_err(|_| format!("port {p:?} is not a number"))?,
                ),
            ),
            _ => (hostport, None),
        };
        if host.is_empty() {
            return Err("the host is missing".into());
        }
        let required = match query {
            None | Some("") => false,
            Some("tls=required") => true,
            Some(q) => return Err(format!("unknown option {q:?} (only tls=required)")),
        };
        let (tls, default_port) = match (scheme, required) {
            ("smtp", false) => (TlsMode::Opportunistic, 25),
            ("smtp", true) => (TlsMode::Required, 587),
            ("smtps", _) => (TlsMode::Wrapper, 465),
            (other, _) => return Err(format!("unknown scheme {other:?} (smtp or smtps)")),
        };
        Ok(Self {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: port.unwrap_or(default_port),
            tls,
            user,
            password,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_read_as_the_issue_writes_them() {
        let u = SmtpUrl::parse("smtp://127.0.0.1:2525").expect("plain");
        assert_eq!(
            (u.host.as_str(), u.port, u.tls),
            ("127.0.0.1", 2525, TlsMode::Opportunistic)
        );
        let u = SmtpUrl::parse("smtp://ppid%40a.go.id:rah%3Asia@mail.a.go.id:587?tls=required")
            .expect("auth");
        assert_eq!(u.user.as_deref(), Some("ppid@a.go.id"));
        assert_eq!(u.password.as_deref(), Some("rah:sia"));
        assert_eq!(u.tls, TlsMode::Required);
        let u = SmtpUrl::parse("smtps://mail.a.go.id").expect("wrapper");
        assert_eq!((u.port, u.tls), (465, TlsMode::Wrapper));
        assert!(!format!("{u:?}").contains("rah"));
        for bad in [
            "mail.a.go.id",
            "http://x",
            "smtp://:25",
            "smtp://x:port",
            "smtp://x?tls=maybe",
        ] {
            assert!(SmtpUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
