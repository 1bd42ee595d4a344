//! The form of a consequence test: its values as typed and what the form needs to show.

use lentera_app::auth::OfficerCtx;
use lentera_domain::consequence::{RawTest, TestFields};
use lentera_domain::{ExemptionGround, PeriodKind, TestConclusion, TestTrigger};

use super::forms::{Errors, all, err_line};
use crate::pages::common::{FormPairs, Lang, text};
use crate::state::AppState;

// ------------------------------------------------------------------ consequence tests

#[derive(Debug, Clone, Default)]
pub struct TestForm {
    pub information: String,
    pub source: String,
    pub grounds: Vec<String>,
    pub other_law: String,
    pub harm: String,
    pub public_interest: String,
    pub conclusion: String,
    pub redaction_plan: String,
    pub period_kind: String,
    pub period_until: String,
    pub period_event: String,
    pub trigger: String,
    pub request: String,
    pub entry: String,
}

impl TestForm {
    pub(crate) fn from_pairs(f: &FormPairs) -> Self {
        Self {
            information: text(f, "information"),
            source: text(f, "source"),
            grounds: all(f, "grounds"),
            other_law: text(f, "other_law"),
            harm: text(f, "harm"),
            public_interest: text(f, "public_interest"),
            conclusion: text(f, "conclusion"),
            redaction_plan: text(f, "redaction_plan"),
            period_kind: text(f, "period_kind"),
            period_until: text(f, "period_until"),
            period_event: text(f, "period_event"),
            trigger: text(f, "trigger"),
            request: text(f, "request"),
            entry: text(f, "entry"),
        }
    }

    pub(crate) fn from_fields(f: &TestFields) -> Self {
        Self {
            information: f.information.clone(),
            source: f.source.clone(),
            grounds: f.grounds.iter().map(|g| g.as_str().to_owned()).collect(),
            other_law: f.other_law.clone(),
            harm: f.harm.clone(),
            public_interest: f.public_interest.clone(),
            conclusion: f.conclusion.as_str().into(),
            redaction_plan: f.redaction_plan.clone(),
            period_kind: f
                .period
                .as_ref()
                .map(|p| p.kind.as_str().to_owned())
                .unwrap_or_default(),
            period_until: f
                .period
                .as_ref()
                .and_then(|p| p.until)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            period_event: f
                .period
                .as_ref()
                .and_then(|p| p.event.clone())
                .unwrap_or_default(),
            trigger: f.trigger.as_str().into(),
            request: f.request.clone().unwrap_or_default(),
            entry: f.entry.map(|e| e.to_string()).unwrap_or_default(),
        }
    }

    pub(crate) fn raw(&self) -> RawTest {
        let o = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        RawTest {
            information: o(&self.information),
            source: o(&self.source),
            grounds: self.grounds.clone(),
            other_law: o(&self.other_law),
            harm: o(&self.harm),
            public_interest: o(&self.public_interest),
            conclusion: o(&self.conclusion),
            redaction_plan: o(&self.redaction_plan),
            period_kind: o(&self.period_kind),
            period_until: o(&self.period_until),
            period_event: o(&self.period_event),
            trigger: o(&self.trigger),
            request: o(&self.request),
            entry: o(&self.entry),
            unit: None,
        }
    }

    pub fn has_ground(&self, g: &str) -> bool {
        self.grounds.iter().any(|x| x == g)
    }
}

pub struct TestFormCtx {
    pub t: Lang,
    pub action: String,
    pub v: TestForm,
    pub errors: Errors,
    pub grounds: Vec<(&'static str, &'static str)>,
    pub conclusions: Vec<(&'static str, &'static str)>,
    pub period_kinds: Vec<(&'static str, &'static str)>,
    pub triggers: Vec<(&'static str, &'static str)>,
    pub entries: Vec<(String, String)>,
}

impl TestFormCtx {
    pub fn err(&self, field: &str) -> Option<String> {
        err_line(self.t, &self.errors, field)
    }

    pub(crate) async fn new(
        app: &AppState,
        t: Lang,
        officer: &OfficerCtx,
        action: String,
        v: TestForm,
        errors: Errors,
    ) -> Self {
        let entries = match app
            .information_register(&officer.home.row.slug, Some(officer))
            .await
        {
            Ok(r) => r
                .dip
                .iter()
                .flat_map(|(_, l)| l.iter().map(|e| (e.id.to_string(), e.fields.title.clone())))
                .collect(),
            Err(_) => Vec::new(),
        };
        Self {
            t,
            action,
            v,
            errors,
            grounds: ExemptionGround::ALL
                .iter()
                .map(|g| (g.as_str(), g.label_id()))
                .collect(),
            conclusions: TestConclusion::ALL
                .iter()
                .map(|c| (c.as_str(), c.label_id()))
                .collect(),
            period_kinds: PeriodKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label_id()))
                .collect(),
            triggers: TestTrigger::ALL
                .iter()
                .map(|k| (k.as_str(), k.label_id()))
                .collect(),
            entries,
        }
    }
}
