//! Labels and formatting the register pages share: kinds, forms, dates, legal bases, periods,
//! sizes, and escaping for URLs and XML.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use lentera_app::AppError;
use lentera_app::register::DocumentView;
use lentera_domain::consequence::{Period, TestFields};
use lentera_domain::{InfoForm, InfoKind, PeriodKind};
use time::Date;

use crate::pages::common::{Ctx, Lang, Page};

/// Label of a search kind (also the DIP kinds).
pub fn kind_label(t: Lang, kind: &str) -> &'static str {
    let (id, en) = match kind {
        "periodic" => ("Informasi berkala", "Periodic information"),
        "immediate" => ("Informasi serta merta", "Immediate information"),
        "any_time" => ("Informasi setiap saat", "Information available at any time"),
        "exempt" => ("Informasi dikecualikan", "Exempt information"),
        "answer" => ("Jawaban permohonan", "Answer to a request"),
        "document" => ("Dokumen", "Document"),
        _ => ("Informasi", "Information"),
    };
    t.pick(id, en)
}

/// Heading of a DIP group, as in the Perki table titles.
pub fn info_kind_label(t: Lang, k: InfoKind) -> &'static str {
    match t {
        Lang::Id => k.label_id(),
        Lang::En => k.label_en(),
    }
}

pub fn forms_label(t: Lang, forms: &[InfoForm]) -> String {
    forms
        .iter()
        .map(|f| match (t, f) {
            (Lang::Id, f) => f.label_id(),
            (Lang::En, InfoForm::Softcopy) => "Softcopy (online)",
            (Lang::En, InfoForm::Hardcopy) => "Hardcopy (printed)",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "2 Februari 2026" without the weekday.
pub fn short_date(t: Lang, d: Date) -> String {
    let long = Page {
        t,
        title: String::new(),
        officer: None,
        path: String::new(),
        csrf: String::new(),
        htmx: false,
        tz_offset: time::UtcOffset::UTC,
        calendar_warning: None,
    }
    .date(d);
    long.split_once(", ")
        .map_or(long.clone(), |(_, rest)| rest.to_owned())
}

/// *Dasar hukum pengecualian*: the articles of Pasal 17 and any other statute.
pub fn legal_basis(f: &TestFields) -> String {
    let mut parts: Vec<String> = f
        .grounds
        .iter()
        .map(|g| {
            let s = g.as_str();
            let letter = s.trim_start_matches("17");
            format!("Pasal 17 huruf {letter} UU 14/2008 ({})", g.label_id())
        })
        .collect();
    if !f.other_law.is_empty() {
        parts.push(f.other_law.clone());
    }
    parts.join("; ")
}

pub fn period_label(t: Lang, p: Option<&Period>) -> String {
    let Some(p) = p else {
        return "—".into();
    };
    match (p.kind, p.until, &p.event) {
        (PeriodKind::UntilDate, Some(d), _) => {
            format!("{} {}", t.pick("Sampai", "Until"), short_date(t, d))
        }
        (PeriodKind::UntilEvent, _, Some(e)) => format!("{} {e}", t.pick("Sampai", "Until")),
        (PeriodKind::WhileOtherLaw, _, Some(e)) if !e.is_empty() => {
            format!(
                "{}: {e}",
                t.pick(p.kind.label_id(), "As long as another law provides")
            )
        }
        (k, _, _) => match t {
            Lang::Id => k.label_id().to_owned(),
            Lang::En => match k {
                PeriodKind::UntilDate => "Until a set date".into(),
                PeriodKind::UntilEvent => "Until a set event".into(),
                PeriodKind::WhileOtherLaw => "As long as another law provides".into(),
            },
        },
    }
}

/// Percent-encodes everything but unreserved characters (query values, RFC 5987 names).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `scheme://host` of this request, for absolute links in feeds and exports.
pub fn base_url(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

pub(crate) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

pub(crate) fn app_failure(ctx: &Ctx, e: &AppError) -> Response {
    match e {
        AppError::NotFound(_) => ctx.not_found(),
        other => ctx.error_of(ctx.t.pick("Gagal", "Failed"), other),
    }
}

// Document lists on the public pages share this view.
pub fn size_label(d: &DocumentView) -> String {
    let s = d.size;
    if s >= 1024 * 1024 {
        format!("{:.1} MB", s as f64 / (1024.0 * 1024.0))
    } else if s >= 1024 {
        format!("{} KB", s / 1024)
    } else {
        format!("{s} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            xml_escape("<a & 'b'>\u{1}"),
            "&lt;a &amp; &apos;b&apos;&gt;"
        );
    }
}
