//! The form of a DIP entry: its values as typed and what the form needs to show.

use lentera_app::auth::OfficerCtx;
use lentera_app::register::EntryView;
use lentera_domain::register::RawEntry;
use lentera_domain::{InfoForm, InfoKind};

use super::format::info_kind_label;
use super::forms::{Errors, all, err_line};
use crate::pages::common::{FormPairs, Lang, text};
use crate::state::AppState;

// ------------------------------------------------------------------ entry form

/// The entry form as typed.
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub unit: String,
    pub responsible: String,
    pub made_when: String,
    pub made_where: String,
    pub forms: Vec<String>,
    pub retention: String,
    pub year: String,
    pub legal_basis: String,
    pub checklist: String,
}

impl EntryForm {
    pub(crate) fn from_pairs(f: &FormPairs) -> Self {
        Self {
            kind: text(f, "kind"),
            title: text(f, "title"),
            summary: text(f, "summary"),
            unit: text(f, "unit"),
            responsible: text(f, "responsible"),
            made_when: text(f, "made_when"),
            made_where: text(f, "made_where"),
            forms: all(f, "forms"),
            retention: text(f, "retention"),
            year: text(f, "year"),
            legal_basis: text(f, "legal_basis"),
            checklist: text(f, "checklist"),
        }
    }

    pub(crate) fn from_view(e: &EntryView) -> Self {
        let f = &e.fields;
        Self {
            kind: f.kind.as_str().into(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            unit: f.unit.clone().unwrap_or_default(),
            responsible: f.responsible.clone(),
            made_when: f.made_when.clone(),
            made_where: f.made_where.clone(),
            forms: f.forms.iter().map(|x| x.as_str().to_owned()).collect(),
            retention: f.retention.clone(),
            year: f.year.to_string(),
            legal_basis: f.legal_basis.clone(),
            checklist: f.checklist.clone().unwrap_or_default(),
        }
    }

    pub(crate) fn raw(&self) -> RawEntry {
        let o = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        RawEntry {
            kind: o(&self.kind),
            title: o(&self.title),
            summary: o(&self.summary),
            unit: o(&self.unit),
            responsible: o(&self.responsible),
            made_when: o(&self.made_when),
            made_where: o(&self.made_where),
            forms: self.forms.clone(),
            retention: o(&self.retention),
            year: o(&self.year).map(serde_json::Value::String),
            legal_basis: o(&self.legal_basis),
            checklist: o(&self.checklist),
        }
    }

    pub fn has_form(&self, f: &str) -> bool {
        self.forms.iter().any(|x| x == f)
    }
}

/// What the entry form needs: values, errors and the choices.
pub struct EntryFormCtx {
    pub t: Lang,
    pub action: String,
    pub v: EntryForm,
    pub errors: Errors,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub forms: Vec<(&'static str, &'static str)>,
    pub units: Vec<(String, String)>,
    pub checklist: Vec<(&'static str, String)>,
}

impl EntryFormCtx {
    pub fn err(&self, field: &str) -> Option<String> {
        err_line(self.t, &self.errors, field)
    }

    pub(crate) async fn new(
        app: &AppState,
        t: Lang,
        officer: &OfficerCtx,
        action: String,
        v: EntryForm,
        errors: Errors,
    ) -> Self {
        let units = app
            .units_of(&officer.home.row.slug)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.slug, u.name))
            .collect();
        Self {
            t,
            action,
            v,
            errors,
            kinds: [InfoKind::Periodic, InfoKind::Immediate, InfoKind::AnyTime]
                .into_iter()
                .map(|k| (k.as_str(), info_kind_label(t, k)))
                .collect(),
            forms: InfoForm::ALL
                .iter()
                .map(|f| {
                    (
                        f.as_str(),
                        match (t, f) {
                            (Lang::Id, f) => f.label_id(),
                            (Lang::En, InfoForm::Softcopy) => "Softcopy (online)",
                            (Lang::En, InfoForm::Hardcopy) => "Hardcopy (printed)",
                        },
                    )
                })
                .collect(),
            units,
            checklist: app
                .checklist()
                .iter()
                .map(|c| {
                    (
                        c.code,
                        format!("{} — {} ({})", info_kind_label(t, c.kind), c.label, c.basis),
                    )
                })
                .collect(),
        }
    }
}
