//! The national calendar in the back office: the years in force with their legal basis, every
//! version loaded, and loading a year (pasted or typed day by day) after a preview of what it
//! moves. Admins only.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use lentera_app::AppError;
use lentera_app::auth::OfficerCtx;
use lentera_app::calendar::VersionRow;
use lentera_app::calendar::{CalendarYearItem, Preview};

use crate::pages::common::{Ctx, Page, app_error_text, field};
use crate::pages::guards::{Admin, AdminForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    p: Page,
    years: Vec<CalendarYearItem>,
    history: Vec<VersionRow>,
    /// What is in the editor: the typed text, or a template for the next year to load.
    text: String,
    preview: Option<Preview>,
    problems: Vec<String>,
    notice: Option<String>,
    error: Option<String>,
}

impl CalendarPage {
    fn kind_label(&self, k: lentera_domain::calendar::HolidayKind) -> &'static str {
        match k {
            lentera_domain::calendar::HolidayKind::NationalHoliday => {
                self.p.t.pick("libur nasional", "national holiday")
            }
            lentera_domain::calendar::HolidayKind::CollectiveLeave => {
                self.p.t.pick("cuti bersama", "collective leave")
            }
        }
    }

    fn source_label(&self, s: &str) -> &'static str {
        match s {
            "shipped" => self.p.t.pick("data bawaan", "shipped data"),
            "cli" => self.p.t.pick("baris perintah", "command line"),
            "api" => "API",
            "page" => self.p.t.pick("halaman admin", "admin page"),
            _ => self.p.t.pick("lainnya", "other"),
        }
    }
}

/// A CSV template for the first year not loaded: the five holidays fixed by law, to complete.
fn template_for(year: i32) -> String {
    let mut s = String::from("date,kind,name,legal_basis\n");
    for (m, d, name) in lentera_domain::calendar::FIXED_HOLIDAYS {
        s.push_str(&format!(
            "{year}-{:02}-{d:02},national_holiday,{name},\"SKB Menteri Agama, Menteri Ketenagakerjaan, dan MenPANRB No. …\"\n",
            u8::from(m)
        ));
    }
    s
}

/// What one answer of the page shows besides the calendar itself.
#[derive(Default)]
struct Shown {
    text: Option<String>,
    preview: Option<Preview>,
    problems: Vec<String>,
    notice: Option<String>,
    error: Option<String>,
}

async fn render(app: &AppState, ctx: &Ctx, status: StatusCode, shown: Shown) -> Response {
    let Shown {
        text,
        preview,
        problems,
        notice,
        error,
    } = shown;
    let years = app.calendar_years().await.unwrap_or_default();
    let next = years
        .iter()
        .map(|y| i32::try_from(y.year).unwrap_or(0))
        .max()
        .map_or(2027, |y| y + 1);
    let page = CalendarPage {
        p: ctx.page(
            ctx.t
                .pick("Kalender hari libur nasional", "National holiday calendar"),
        ),
        years,
        history: app.calendar_history().await.unwrap_or_default(),
        text: text.unwrap_or_else(|| template_for(next)),
        preview,
        problems,
        notice,
        error,
    };
    ctx.render(status, &page)
}

pub async fn index(State(app): State<AppState>, Admin { ctx, .. }: Admin) -> Response {
    render(&app, &ctx, StatusCode::OK, Shown::default()).await
}

fn problems_of(ctx: &Ctx, e: &AppError) -> (String, Vec<String>) {
    match e {
        AppError::CalendarFile(p) => (
            ctx.t
                .pick(
                    "Berkas tidak dimuat; perbaiki setiap baris berikut:",
                    "Not loaded; fix each line below:",
                )
                .to_owned(),
            p.iter()
                .map(lentera_domain::calendar::import::ImportProblem::message)
                .collect(),
        ),
        other => (app_error_text(ctx.t, other), Vec::new()),
    }
}

/// The page again with the typed text kept and every problem listed.
async fn refused(app: &AppState, ctx: &Ctx, text: String, e: &AppError) -> Response {
    let (msg, problems) = problems_of(ctx, e);
    let shown = Shown {
        text: Some(text),
        problems,
        error: Some(msg),
        ..Shown::default()
    };
    render(app, ctx, StatusCode::UNPROCESSABLE_ENTITY, shown).await
}

/// A year's file is a few kilobytes; this leaves room for long legal bases and comments.
pub const MAX_FILE: usize = 256 * 1024;

/// `POST /kantor/admin/kalender/berkas`: an uploaded file (JSON or CSV), shown as a preview
/// with its text kept in the form, exactly as if it had been pasted.
pub async fn upload(
    State(app): State<AppState>,
    Admin { ctx, officer }: Admin,
    mp: axum::extract::Multipart,
) -> Response {
    let u = crate::pages::register::documents::read_upload(mp).await;
    if !ctx.csrf_ok(u.csrf.as_deref()) {
        return ctx.forbidden_csrf();
    }
    let code = match (u.broken, u.bytes) {
        (Some("file.too_large"), _) => "too_large",
        (Some(_), _) => "unreadable",
        (None, Some(b)) if !b.is_empty() => match String::from_utf8(b.to_vec()) {
            Ok(t) => {
                let text = t.trim_start_matches('\u{feff}').to_owned();
                return preview(&app, &ctx, &officer, text).await;
            }
            Err(_) => "not_text",
        },
        _ => "required",
    };
    refused(&app, &ctx, String::new(), &AppError::field("file", code)).await
}

/// `POST /kantor/admin/kalender` with `step=preview` (show what moves) or `step=load`.
pub async fn submit(
    State(app): State<AppState>,
    AdminForm { ctx, officer, f }: AdminForm,
) -> Response {
    let text = field(&f, "text").unwrap_or("").to_owned();
    if field(&f, "step") == Some("load") {
        return match app.import_calendar_by(&officer, &text, "page").await {
            Ok(out) => {
                let notice = if out.unchanged {
                    format!(
                        "{} {} {} {}",
                        ctx.t.pick("Kalender", "Calendar"),
                        out.year,
                        out.version,
                        ctx.t.pick(
                            "sudah berlaku; tidak ada yang berubah.",
                            "is already in force; nothing changed."
                        )
                    )
                } else {
                    format!(
                        "{} {} {} {} {} {}",
                        ctx.t.pick("Kalender", "Calendar"),
                        out.year,
                        out.version,
                        ctx.t.pick("dimuat;", "loaded;"),
                        out.recomputed,
                        ctx.t.pick(
                            "tenggat kasus terbuka dihitung ulang dan dicatat pada riwayatnya.",
                            "open deadlines recomputed, each recorded on its timeline."
                        )
                    )
                };
                let shown = Shown {
                    notice: Some(notice),
                    ..Shown::default()
                };
                render(&app, &ctx, StatusCode::OK, shown).await
            }
            Err(e) => refused(&app, &ctx, text, &e).await,
        };
    }
    preview(&app, &ctx, &officer, text).await
}

/// What loading `text` would change, with the text kept for the load button.
async fn preview(app: &AppState, ctx: &Ctx, officer: &OfficerCtx, text: String) -> Response {
    match app.preview_calendar_by(officer, &text).await {
        Ok(p) => {
            let shown = Shown {
                text: Some(text),
                preview: Some(p),
                ..Shown::default()
            };
            render(app, ctx, StatusCode::OK, shown).await
        }
        Err(e) => refused(app, ctx, text, &e).await,
    }
}
