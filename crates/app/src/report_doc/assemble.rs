//! A report put together from the store: figures (or a roll-up), texts, disputes, unit names.

use std::collections::{BTreeMap, HashMap};

use super::disputes::DisputeFigures;
use super::{DocInput, ReportDocument, build, file_stem};
use crate::reports::{AnnualReport, period_bounds};
use crate::{App, AppError};

impl App {
    /// The figures of a body, or of a parent merged over every body below it with each of
    /// them apart (`rollup`).
    async fn report_figures(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
        rollup: bool,
    ) -> Result<(AnnualReport, Vec<AnnualReport>), AppError> {
        if rollup {
            let mut r = self.annual_report_rollup(slug, year, part).await?;
            let children = std::mem::take(&mut r.children);
            Ok((r, children))
        } else {
            Ok((self.annual_report(slug, year, part).await?, Vec::new()))
        }
    }

    /// The figures as the API serves them: a body's, or with `rollup` the parent's merged over
    /// every body below it, each of them listed in `children`.
    pub async fn annual_report_figures(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
        rollup: bool,
    ) -> Result<AnnualReport, AppError> {
        if rollup {
            self.annual_report_rollup(slug, year, part).await
        } else {
            self.annual_report(slug, year, part).await
        }
    }

    /// The annual (semester, quarter) report of a body as a document; with `rollup`, the
    /// parent's report over every body below it, with a table per body.
    pub async fn annual_report_document(
        &self,
        slug: &str,
        year: i32,
        part: Option<&str>,
        rollup: bool,
    ) -> Result<ReportDocument, AppError> {
        let (from, to, period) = period_bounds(year, part)?;
        let body = self
            .body_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("body.not_found"))?;
        // A unit's requests belong to its body: the report is the body's.
        let body = self.home_body(&body).await?;
        let to = crate::reports::as_of(from, to, self.today_in(body.time_zone()));
        let (figures, children) = self.report_figures(slug, year, part, rollup).await?;
        let own = if rollup {
            Some(self.annual_report(slug, year, part).await?)
        } else {
            None
        };
        let texts = self.report_texts_of(&body, i64::from(year)).await?;
        let mut scope = vec![std::sync::Arc::clone(&body)];
        for c in &children {
            if let Some(b) = self.body_by_slug(&c.body).await?
                && b.row.id != body.row.id
            {
                scope.push(b);
            }
        }
        let mut month_channel = BTreeMap::new();
        for (m, channels) in &figures.figures.requests.by_month_channel {
            for (c, n) in channels {
                month_channel.insert((*m, (*c).to_owned()), *n);
            }
        }
        let mut disputes = DisputeFigures::default();
        for b in &scope {
            disputes.add(&self.disputes_of(b, from, to).await?);
        }
        let mut unit_names = HashMap::new();
        for u in figures.figures.requests.by_unit.keys() {
            if let Some(b) = self.body_by_slug(u).await? {
                unit_names.insert(u.clone(), b.row.name.clone());
            }
        }
        let tz = body.time_zone();
        let now = self.now().to_offset(tz.offset());
        let report = build(&DocInput {
            report: &figures,
            children: &children,
            own: own.as_ref(),
            texts: &texts,
            month_channel: &month_channel,
            disputes: &disputes,
            unit_names: &unit_names,
            generated_at: now,
            signed_on: now.date(),
            provisional_year: crate::dashboard::provisional_year(&body.calendar, to),
        });
        Ok(ReportDocument {
            report,
            file_stem: file_stem(&body.row.slug, year, &period, rollup),
            figures,
            texts,
            rollup,
        })
    }
}
