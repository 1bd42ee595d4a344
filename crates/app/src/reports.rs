//! The annual (or semester, quarter) service report's figures for a body, from the event logs.

use std::collections::HashMap;

use lentera_domain::ApplicantKind;
use lentera_domain::objection::ObjectionEvent;
use lentera_domain::report::{AnnualFigures, ObjectionInput, RequestInput, annual};
use lentera_domain::request::RequestEvent;
use lentera_store::{objections, requests};
use serde::Serialize;
use time::{Date, Month};
use uuid::Uuid;

use crate::{App, AppError};

#[derive(Debug, Clone, Serialize)]
pub struct AnnualReport {
    pub body: String,
    pub body_name: String,
    pub year: i32,
    pub period: String,
    #[serde(flatten)]
    pub figures: AnnualFigures,
}

/// `year` with an optional part: `s1`, `s2`, `q1`…`q4` (default: the whole year).
pub fn period_bounds(year: i32, part: Option<&str>) -> Result<(Date, Date, String), AppError> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field("year", "out_of_range"));
    }
    let (m1, m2, label) = match part.map(str::trim).filter(|p| !p.is_empty()) {
        None | Some("year") => (1, 12, "year"),
        Some("s1") => (1, 6, "s1"),
        Some("s2") => (7, 12, "s2"),
        Some("q1") => (1, 3, "q1"),
        Some("q2") => (4, 6, "q2"),
        Some("q3") => (7, 9, "q3"),
        Some("q4") => (10, 12, "q4"),
        Some(_) => return Err(AppError::field("period", "invalid_choice")),
    };
    let month = |m: u8| Month::try_from(m).unwrap_or(Month::January);
    let from = Date::from_calendar_date(year, month(m1), 1)
        .map_err(|_| AppError::field("year", "out_of_range"))?;
    let next = if m2 == 12 {
        Date::from_calendar_date(year + 1, Month::January, 1)
    } else {
        Date::from_calendar_date(year, month(m2 + 1), 1)
    }
    .map_err(|_| AppError::field("year", "out_of_range"))?;
    let to = next.previous_day().unwrap_or(next);
    Ok((from, to, label.to_owned()))
}

impl App {
    pub async fn annual_report(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
    ) -> Result<AnnualReport, AppError> {
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        let (from, to, period) = period_bounds(year, part)?;
        let tz = body.time_zone();
        let population = requests::report_population(&self.db, body.row.id, from, to).await?;
        let mut logs: HashMap<Uuid, Vec<(RequestEvent, Date)>> =
            HashMap::with_capacity(population.len());
        for (id, at, data) in requests::report_events(&self.db, body.row.id, from, to).await? {
            let e: RequestEvent =
                serde_json::from_str(&data).map_err(|e| AppError::Unexpected(e.into()))?;
            logs.entry(id).or_default().push((e, tz.date_of(at)));
        }
        let mut units: HashMap<Uuid, String> = HashMap::new();
        for r in &population {
            if let Some(u) = r.unit_id
                && !units.contains_key(&u)
            {
                units.insert(u, self.body(u).await?.row.slug.clone());
            }
        }
        let empty = Vec::new();
        let inputs: Vec<RequestInput<'_>> = population
            .iter()
            .map(|r| RequestInput {
                events: logs.get(&r.id).unwrap_or(&empty),
                applicant_kind: ApplicantKind::parse(&r.applicant_kind)
                    .unwrap_or(ApplicantKind::Individual),
                unit: r.unit_id.and_then(|u| units.get(&u)).map(String::as_str),
                number: &r.number,
            })
            .collect();
        let objection_rows = objections::report_population(&self.db, body.row.id, from, to).await?;
        let mut objection_logs: HashMap<Uuid, Vec<ObjectionEvent>> = HashMap::new();
        for (id, data) in objections::report_events(&self.db, body.row.id, from, to).await? {
            let e: ObjectionEvent =
                serde_json::from_str(&data).map_err(|e| AppError::Unexpected(e.into()))?;
            objection_logs.entry(id).or_default().push(e);
        }
        let empty_o = Vec::new();
        let objection_inputs: Vec<ObjectionInput<'_>> = objection_rows
            .iter()
            .map(|(id, number, disputed)| ObjectionInput {
                events: objection_logs.get(id).unwrap_or(&empty_o),
                disputed: *disputed,
                number,
            })
            .collect();
        let figures = annual(&inputs, &objection_inputs, from, to, &body.calendar);
        Ok(AnnualReport {
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            year,
            period,
            figures,
        })
    }
}
