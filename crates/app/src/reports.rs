//! The annual (or semester, quarter) service report's figures for a body, from the event logs.

use std::collections::HashMap;

use lentera_domain::ApplicantKind;
use lentera_domain::objection::ObjectionEvent;
use lentera_domain::report::{
    AnnualFigures, ObjectionFigures, ObjectionInput, OldOpen, RequestInput, annual,
};
use lentera_domain::request::RequestEvent;
use lentera_domain::tally::{TallyRow, month_of, parse_month, request_figures};
use lentera_store::{objections, requests, tallies};
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
    /// For a roll-up: each body counted, with its own figures (empty for one body).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<AnnualReport>,
}

fn ym(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

fn add_objections(into: &mut ObjectionFigures, o: &ObjectionFigures) {
    into.received += o.received;
    for (g, n) in &o.by_ground {
        *into.by_ground.entry(g).or_default() += n;
    }
    into.answered += o.answered;
    into.answered_on_time += o.answered_on_time;
    into.upheld += o.upheld;
    into.partially_upheld += o.partially_upheld;
    into.dismissed += o.dismissed;
    into.settled += o.settled;
    into.unanswered += o.unanswered;
    into.disputed += o.disputed;
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

/// A period's last day, but never after `today`: a report of the running year is as of today
/// (open cases are aged to today, not to 31 December). A period not begun ends on its first day.
pub fn as_of(from: Date, to: Date, today: Date) -> Date {
    to.min(today).max(from)
}

impl App {
    /// The top-level body a report is about (a unit's requests belong to its body).
    async fn report_body(&self, slug: &str) -> Result<std::sync::Arc<crate::BodyEntry>, AppError> {
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        self.home_body(&body).await
    }

    /// The report of one body (with its units) for a year or a part of it, from the running
    /// tallies (request figures) and the objection logs.
    pub async fn annual_report(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
    ) -> Result<AnnualReport, AppError> {
        let body = self.report_body(slug).await?;
        let (from, to, period) = period_bounds(year, part)?;
        let to = as_of(from, to, self.today_in(body.time_zone()));
        let figures = self.figures_of(&[body.row.id], from, to, None).await?;
        Ok(AnnualReport {
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            year,
            period,
            figures,
            children: Vec::new(),
        })
    }

    /// The report of a parent body over itself and every body below it (not counting units
    /// twice: their requests belong to their body), with each body's own report.
    pub async fn annual_report_rollup(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
    ) -> Result<AnnualReport, AppError> {
        let root = self.report_body(slug).await?;
        let (from, to, period) = period_bounds(year, part)?;
        let to = as_of(from, to, self.today_in(root.time_zone()));
        let all = lentera_store::bodies::list(&self.db).await?;
        let mut ids = vec![root.row.id];
        let mut frontier = vec![root.row.id];
        while !frontier.is_empty() && ids.len() < all.len() {
            let next: Vec<Uuid> = all
                .iter()
                .filter(|b| {
                    b.kind != "unit"
                        && b.parent_id.is_some_and(|p| frontier.contains(&p))
                        && !ids.contains(&b.id)
                })
                .map(|b| b.id)
                .collect();
            ids.extend(&next);
            frontier = next;
        }
        let mut children = Vec::new();
        for id in ids.iter().skip(1) {
            let b = self.body(*id).await?;
            children.push(AnnualReport {
                body: b.row.slug.clone(),
                body_name: b.row.name.clone(),
                year,
                period: period.clone(),
                figures: self.figures_of(&[*id], from, to, None).await?,
                children: Vec::new(),
            });
        }
        // Each body's objections are folded once, for its own figures, and summed here.
        let own = self.figures_of(&[root.row.id], from, to, None).await?;
        let mut parts = vec![&own];
        parts.extend(children.iter().map(|c| &c.figures));
        let figures = self.figures_of(&ids, from, to, Some(&parts)).await?;
        Ok(AnnualReport {
            body: root.row.slug.clone(),
            body_name: root.row.name.clone(),
            year,
            period,
            figures,
            children,
        })
    }

    /// The figures of these top-level bodies together for `[from, to]` (whole months). The
    /// objection figures are folded from the logs, or, when the caller already has each body's
    /// figures (a roll-up), summed from `parts`.
    async fn figures_of(
        &self,
        ids: &[Uuid],
        from: Date,
        to: Date,
        parts: Option<&[&AnnualFigures]>,
    ) -> Result<AnnualFigures, AppError> {
        let counters = tallies::report_counters(&self.db, ids, &ym(from), &ym(to)).await?;
        let mut unit_slugs: HashMap<Uuid, String> = HashMap::new();
        let mut rows = Vec::with_capacity(counters.len());
        for c in counters {
            let Some(r_month) = parse_month(&c.r_month) else {
                continue;
            };
            let unit = if c.metric == "unit" {
                if let Some(slug) = unit_slugs.get(&c.unit_key) {
                    Some(slug.clone())
                } else {
                    let slug = self.body(c.unit_key).await?.row.slug.clone();
                    unit_slugs.insert(c.unit_key, slug.clone());
                    Some(slug)
                }
            } else {
                None
            };
            rows.push(TallyRow {
                unit,
                r_month,
                f_month: parse_month(&c.f_month),
                metric: c.metric,
                n: c.n,
            });
        }
        let (first, last) = (month_of(from), month_of(to));
        let requests_figures = request_figures(&rows, first, last);
        // The earliest month of receipt with a request open at the end starts the scan.
        let earliest_open = rows
            .iter()
            .filter(|r| {
                r.n > 0
                    && r.r_month >= first
                    && r.r_month <= last
                    && r.metric.starts_with("fate:")
                    && r.f_month.is_none_or(|m| m > last)
            })
            .map(|r| r.r_month)
            .min();
        let oldest_open_requests = match earliest_open {
            Some((y, m)) => {
                let scan_from =
                    Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), 1)
                        .unwrap_or(from)
                        .max(from);
                tallies::oldest_open_at(&self.db, ids, scan_from, to)
                    .await?
                    .into_iter()
                    .map(|(number, since)| OldOpen { number, since })
                    .collect()
            }
            None => Vec::new(),
        };
        let mut objections_figures = ObjectionFigures::default();
        let mut oldest_open_objections = Vec::new();
        match parts {
            Some(parts) => {
                for f in parts {
                    add_objections(&mut objections_figures, &f.objections);
                    oldest_open_objections.extend(f.oldest_open_objections.iter().cloned());
                }
            }
            None => {
                for id in ids {
                    let body = self.body(*id).await?;
                    let f = self.objection_figures(&body, from, to).await?;
                    add_objections(&mut objections_figures, &f.objections);
                    oldest_open_objections.extend(f.oldest_open_objections);
                }
            }
        }
        oldest_open_objections
            .sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.number.cmp(&b.number)));
        oldest_open_objections.truncate(10);
        Ok(AnnualFigures {
            from,
            to,
            requests: requests_figures,
            objections: objections_figures,
            oldest_open_requests,
            oldest_open_objections,
        })
    }

    /// The objection figures of one body, folded from its objection logs.
    async fn objection_figures(
        &self,
        body: &crate::BodyEntry,
        from: Date,
        to: Date,
    ) -> Result<AnnualFigures, AppError> {
        let objection_rows = objections::report_population(&self.db, body.row.id, from, to).await?;
        let mut objection_logs: HashMap<Uuid, Vec<ObjectionEvent>> = HashMap::new();
        for (id, data) in objections::report_events(&self.db, body.row.id, from, to).await? {
            let e: ObjectionEvent =
                serde_json::from_str(&data).map_err(|e| AppError::Unexpected(e.into()))?;
            objection_logs.entry(id).or_default().push(e);
        }
        let empty = Vec::new();
        let inputs: Vec<ObjectionInput<'_>> = objection_rows
            .iter()
            .map(|(id, number, disputed)| ObjectionInput {
                events: objection_logs.get(id).unwrap_or(&empty),
                disputed: *disputed,
                number,
            })
            .collect();
        Ok(annual(&[], &inputs, from, to, &body.calendar))
    }

    /// The same figures by folding every request's log as of the period's end: the reference
    /// the tallies are checked against (tests, `lentera report --verify`), slow on big bodies.
    pub async fn annual_report_by_fold(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
    ) -> Result<AnnualReport, AppError> {
        let body = self.report_body(slug).await?;
        let (from, to, period) = period_bounds(year, part)?;
        let to = as_of(from, to, self.today_in(body.time_zone()));
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
        let mut figures = annual(&inputs, &[], from, to, &body.calendar);
        let o = self.objection_figures(&body, from, to).await?;
        figures.objections = o.objections;
        figures.oldest_open_objections = o.oldest_open_objections;
        Ok(AnnualReport {
            body: body.row.slug.clone(),
            body_name: body.row.name.clone(),
            year,
            period,
            figures,
            children: Vec::new(),
        })
    }
}
