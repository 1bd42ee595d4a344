//! Who may do what (§10.2), per body. Pure: the caller supplies the officer's role and body and
//! the case's body and unit.

use crate::values::Role;

/// An officer as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub role: Role,
    /// The body the officer belongs to (for `ppid_unit`: the unit).
    pub body: String,
    /// For units: the parent body; for top-level bodies: the body itself.
    pub home_body: String,
}

/// Officer actions on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    View,
    ViewIdentity,
    Intake,
    Verify,
    Route,
    Extend,
    Decide,
    Deliver,
    Close,
    DecideObjection,
    Administer,
}

impl Officer {
    /// The case belongs to `case_body` (a top-level body) and may be routed to `case_unit`.
    pub fn sees(&self, case_body: &str, case_unit: Option<&str>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::PpidUnit => case_unit == Some(self.body.as_str()),
            Role::Ppid | Role::Supervisor | Role::Viewer => self.home_body == case_body,
        }
    }

    pub fn may(&self, action: Action, case_body: &str, case_unit: Option<&str>) -> bool {
        if !self.sees(case_body, case_unit) {
            return false;
        }
        match self.role {
            // Admins manage the installation; they do not handle cases (§10.2: "audit only").
            Role::Admin => matches!(action, Action::View | Action::Administer),
            Role::Ppid => !matches!(action, Action::DecideObjection | Action::Administer),
            Role::PpidUnit => matches!(
                action,
                Action::View
                    | Action::ViewIdentity
                    | Action::Intake
                    | Action::Extend
                    | Action::Decide
                    | Action::Deliver
            ),
            Role::Supervisor => matches!(
                action,
                Action::View | Action::ViewIdentity | Action::DecideObjection
            ),
            Role::Viewer => action == Action::View,
        }
    }
}

/// Actions on the register, consequence tests and publications (§10.2 rows "create/decide *uji
/// konsekuensi*" and "edit DIP/DIK, publish").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterAction {
    /// See drafts, unpublished entries and tests in preparation.
    ViewDrafts,
    /// Create, edit, publish and unpublish entries; attach documents; publish answers.
    Edit,
    /// Draft and submit consequence tests.
    ProposeTest,
    /// Decide (*menetapkan*), review, end or annul consequence tests.
    DecideTest,
}

impl Officer {
    /// `unit` is the unit that holds the entry (or the case's unit), if any.
    pub fn may_register(&self, action: RegisterAction, body: &str, unit: Option<&str>) -> bool {
        if self.home_body != body && self.role != Role::Admin {
            return false;
        }
        match self.role {
            Role::Admin => action == RegisterAction::ViewDrafts,
            Role::Ppid => true,
            // Units keep their own part of the DIP and may propose tests of their own, not
            // decide them, nor touch the PPID's or another unit's.
            Role::PpidUnit => match action {
                RegisterAction::ViewDrafts => true,
                RegisterAction::Edit | RegisterAction::ProposeTest => {
                    unit == Some(self.body.as_str())
                }
                RegisterAction::DecideTest => false,
            },
            Role::Supervisor | Role::Viewer => action == RegisterAction::ViewDrafts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(role: Role, body: &str, home: &str) -> Officer {
        Officer {
            role,
            body: body.into(),
            home_body: home.into(),
        }
    }

    #[test]
    fn officers_see_only_their_own_body() {
        let ppid = officer(Role::Ppid, "kab-a", "kab-a");
        assert!(ppid.may(Action::Decide, "kab-a", None));
        assert!(!ppid.may(Action::View, "kab-b", None));
        let admin = officer(Role::Admin, "prov", "prov");
        assert!(admin.may(Action::View, "kab-b", None));
        assert!(!admin.may(Action::Decide, "kab-b", None));
    }

    #[test]
    fn units_see_only_what_was_routed_to_them() {
        let unit = officer(Role::PpidUnit, "kab-a-dinkes", "kab-a");
        assert!(unit.may(Action::Decide, "kab-a", Some("kab-a-dinkes")));
        assert!(!unit.may(Action::View, "kab-a", Some("kab-a-bappeda")));
        assert!(!unit.may(Action::View, "kab-a", None));
        assert!(!unit.may(Action::Route, "kab-a", Some("kab-a-dinkes")));
    }

    #[test]
    fn register_rights_follow_the_matrix() {
        let ppid = officer(Role::Ppid, "kab-a", "kab-a");
        assert!(ppid.may_register(RegisterAction::DecideTest, "kab-a", None));
        assert!(!ppid.may_register(RegisterAction::Edit, "kab-b", None));
        let unit = officer(Role::PpidUnit, "kab-a-dinkes", "kab-a");
        assert!(unit.may_register(RegisterAction::Edit, "kab-a", Some("kab-a-dinkes")));
        assert!(!unit.may_register(RegisterAction::Edit, "kab-a", None));
        assert!(unit.may_register(RegisterAction::ProposeTest, "kab-a", Some("kab-a-dinkes")));
        // Issue 15, finding 3: not the PPID's own tests, nor another unit's.
        assert!(!unit.may_register(RegisterAction::ProposeTest, "kab-a", None));
        assert!(!unit.may_register(RegisterAction::ProposeTest, "kab-a", Some("kab-a-disdik")));
        assert!(!unit.may_register(RegisterAction::DecideTest, "kab-a", None));
        let admin = officer(Role::Admin, "prov", "prov");
        assert!(!admin.may_register(RegisterAction::Edit, "kab-a", None));
        let s = officer(Role::Supervisor, "kab-a", "kab-a");
        assert!(!s.may_register(RegisterAction::Edit, "kab-a", None));
    }

    #[test]
    fn supervisors_decide_objections_not_requests() {
        let s = officer(Role::Supervisor, "kab-a", "kab-a");
        assert!(s.may(Action::DecideObjection, "kab-a", None));
        assert!(!s.may(Action::Decide, "kab-a", None));
        assert!(!officer(Role::Viewer, "kab-a", "kab-a").may(Action::Extend, "kab-a", None));
    }
}
