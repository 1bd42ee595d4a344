//! Validation of the *formulir permohonan* (§4.3): parse once at the edge, list every invalid
//! field, so that nothing invalid reaches the store.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::values::{ApplicantKind, Delivery, Obtain};

pub const MAX_NAME: usize = 200;
pub const MAX_ADDRESS: usize = 500;
pub const MAX_OCCUPATION: usize = 120;
pub const MAX_INFORMATION: usize = 10_000;
pub const MAX_PURPOSE: usize = 2_000;
pub const MAX_EMAIL: usize = 254;

/// Field path → list of error codes, as in the contract's `error.fields`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub BTreeMap<String, Vec<&'static str>>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, code: &'static str) {
        let list = self.0.entry(field.to_owned()).or_default();
        if !list.contains(&code) {
            list.push(code);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
}

/// *Nomor Induk Kependudukan*: exactly 16 digits. Never displayed in full or logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Nik(String);

impl Nik {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if t.len() == 16 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t))
        } else {
            Err("nik_16_digits")
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Nik {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Nik({})", mask_identity(&self.0))
    }
}

/// `************1234`: the only form in which an identity number is shown.
pub fn mask_identity(s: &str) -> String {
    let n = s.chars().count();
    let keep = if n > 4 { 4 } else { 0 };
    s.chars()
        .enumerate()
        .map(|(i, c)| if i + keep < n { '*' } else { c })
        .collect()
}

/// Initials of a person's name for public registers (§11.2): "Siti Aminah" → "S.A.".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect()
}

/// Raw submission as it arrives (API JSON or HTML form); every field optional so that all
/// problems can be reported at once.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawSubmission {
    pub body: Option<String>,
    pub applicant: Option<RawApplicant>,
    pub information: Option<String>,
    pub purpose: Option<String>,
    pub obtain: Option<String>,
    pub delivery: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawApplicant {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub occupation: Option<String>,
}

/// The identity number: a NIK for persons, a legal-entity registration otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityNumber {
    Nik(Nik),
    LegalEntity(String),
}

impl IdentityNumber {
    pub fn expose(&self) -> &str {
        match self {
            Self::Nik(n) => n.expose(),
            Self::LegalEntity(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub kind: ApplicantKind,
    pub name: String,
    pub id_number: IdentityNumber,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub occupation: String,
}

/// A submission that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub body: String,
    pub applicant: Applicant,
    pub information: String,
    pub purpose: String,
    pub obtain: Obtain,
    pub delivery: Delivery,
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&String>,
    max: usize,
    required: bool,
) -> Option<String> {
    let v = value.map(|s| s.trim()).filter(|s| !s.is_empty());
    match v {
        None if required => {
            errors.add(field, "required");
            None
        }
        None => None,
        Some(s) if s.chars().count() > max => {
            errors.add(field, "too_long");
            None
        }
        Some(s)
            if s.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') =>
        {
            errors.add(field, "invalid_characters");
            None
        }
        Some(s) => Some(s.to_owned()),
    }
}

fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
}

fn phone_ok(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    allowed && (8..=15).contains(&digits)
}

fn legal_entity_ok(s: &str) -> bool {
    (3..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " -./".contains(c))
}

impl RawSubmission {
    /// Checks every field and returns the valid submission or all problems at once.
    pub fn validate(&self) -> Result<Submission, FieldErrors> {
        let mut e = FieldErrors::default();
        let body = text(&mut e, "body", self.body.as_ref(), 100, true);
        let information = text(
            &mut e,
            "information",
            self.information.as_ref(),
            MAX_INFORMATION,
            true,
        );
        let purpose = text(&mut e, "purpose", self.purpose.as_ref(), MAX_PURPOSE, true);
        let obtain = match self.obtain.as_deref().map(str::trim) {
            None | Some("") => {
                e.add("obtain", "required");
                None
            }
            Some(s) => Obtain::parse(s).or_else(|| {
                e.add("obtain", "invalid_choice");
                None
            }),
        };
        let delivery = match self.delivery.as_deref().map(str::trim) {
            // Seeing the information at the office needs no delivery.
            None | Some("") if obtain == Some(Obtain::View) => Some(Delivery::Pickup),
            None | Some("") => {
                e.add("delivery", "required");
                None
            }
            Some(s) => Delivery::parse(s).or_else(|| {
                e.add("delivery", "invalid_choice");
                None
            }),
        };
        let default_applicant = RawApplicant::default();
        if self.applicant.is_none() {
            e.add("applicant", "required");
        }
        let a = self.applicant.as_ref().unwrap_or(&default_applicant);
        let kind = match a.kind.as_deref().map(str::trim) {
            None | Some("") => {
                e.add("applicant.kind", "required");
                None
            }
            Some(s) => ApplicantKind::parse(s).or_else(|| {
                e.add("applicant.kind", "invalid_choice");
                None
            }),
        };
        let name = text(&mut e, "applicant.name", a.name.as_ref(), MAX_NAME, true);
        let address = text(
            &mut e,
            "applicant.address",
            a.address.as_ref(),
            MAX_ADDRESS,
            true,
        );
        let occupation = text(
            &mut e,
            "applicant.occupation",
            a.occupation.as_ref(),
            MAX_OCCUPATION,
            true,
        );
        let email = text(
            &mut e,
            "applicant.email",
            a.email.as_ref(),
            MAX_EMAIL,
            false,
        );
        if email.as_deref().is_some_and(|m| !email_ok(m)) {
            e.add("applicant.email", "invalid_email");
        }
        let phone = text(&mut e, "applicant.phone", a.phone.as_ref(), 30, false);
        if phone.as_deref().is_some_and(|p| !phone_ok(p)) {
            e.add("applicant.phone", "invalid_phone");
        }
        if email.is_none()
            && phone.is_none()
            && !e.has("applicant.email")
            && !e.has("applicant.phone")
        {
            // Perki form: a telephone number or an e-mail address, at least one.
            e.add("applicant.email", "contact_required");
            e.add("applicant.phone", "contact_required");
        }
        let raw_id = a
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let id_number = match (raw_id, kind) {
            (None, _) => {
                e.add("applicant.id_number", "required");
                None
            }
            (Some(s), Some(k)) if k.uses_nik() => match Nik::parse(s) {
                Ok(n) => Some(IdentityNumber::Nik(n)),
                Err(code) => {
                    e.add("applicant.id_number", code);
                    None
                }
            },
            (Some(s), Some(_)) if legal_entity_ok(s) => {
                Some(IdentityNumber::LegalEntity(s.to_owned()))
            }
            (Some(_), Some(_)) => {
                e.add("applicant.id_number", "invalid_legal_entity_number");
                None
            }
            // Without a valid kind the number cannot be judged; the kind error says why.
            (Some(_), None) => None,
        };
        match (
            body,
            information,
            purpose,
            obtain,
            delivery,
            kind,
            name,
            address,
            occupation,
            id_number,
        ) {
            (
                Some(body),
                Some(information),
                Some(purpose),
                Some(obtain),
                Some(delivery),
                Some(kind),
                Some(name),
                Some(address),
                Some(occupation),
                Some(id_number),
            ) if e.is_empty() => Ok(Submission {
                body,
                applicant: Applicant {
                    kind,
                    name,
                    id_number,
                    email,
                    phone,
                    address,
                    occupation,
                },
                information,
                purpose,
                obtain,
                delivery,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RawSubmission {
        RawSubmission {
            body: Some("kab-contoh".into()),
            applicant: Some(RawApplicant {
                kind: Some("individual".into()),
                name: Some("Siti Aminah".into()),
                id_number: Some("3374015708900001".into()),
                email: Some("siti@example.id".into()),
                phone: None,
                address: Some("Jl. Pemuda 1, Semarang".into()),
                occupation: Some("Wartawan".into()),
            }),
            information: Some("Salinan DPA Dinas Pendidikan 2025".into()),
            purpose: Some("Liputan".into()),
            obtain: Some("softcopy".into()),
            delivery: Some("email".into()),
        }
    }

    #[test]
    fn a_complete_form_is_accepted() {
        let s = valid().validate().expect("valid");
        assert_eq!(s.applicant.kind, ApplicantKind::Individual);
        assert_eq!(s.obtain, Obtain::Softcopy);
    }

    #[test]
    fn every_invalid_field_is_listed() {
        let raw = RawSubmission {
            body: None,
            applicant: Some(RawApplicant {
                kind: Some("individual".into()),
                id_number: Some("12345".into()),
                email: Some("not-an-email".into()),
                ..RawApplicant::default()
            }),
            obtain: Some("telepati".into()),
            ..RawSubmission::default()
        };
        let e = raw.validate().expect_err("invalid");
        for f in [
            "body",
            "information",
            "purpose",
            "obtain",
            "delivery",
            "applicant.name",
            "applicant.address",
            "applicant.occupation",
        ] {
            assert!(e.has(f), "{f} missing in {e:?}");
        }
        assert_eq!(e.0["applicant.id_number"], vec!["nik_16_digits"]);
        assert_eq!(e.0["applicant.email"], vec!["invalid_email"]);
        assert_eq!(e.0["obtain"], vec!["invalid_choice"]);
    }

    #[test]
    fn nik_needs_exactly_sixteen_digits() {
        assert!(Nik::parse("3374015708900001").is_ok());
        assert!(Nik::parse("3374 0157 0890 0001").is_ok());
        for bad in [
            "337401570890000",
            "33740157089000011",
            "33740157089000a1",
            "",
        ] {
            assert!(Nik::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn legal_entities_give_their_registration_number() {
        let mut raw = valid();
        if let Some(a) = raw.applicant.as_mut() {
            a.kind = Some("legal_entity".into());
            a.id_number = Some("AHU-0012345.AH.01.07.2019".into());
        }
        assert!(matches!(
            raw.validate().expect("valid").applicant.id_number,
            IdentityNumber::LegalEntity(_)
        ));
    }

    #[test]
    fn one_contact_is_required() {
        let mut raw = valid();
        if let Some(a) = raw.applicant.as_mut() {
            a.email = None;
        }
        let e = raw.validate().expect_err("no contact");
        assert_eq!(e.0["applicant.email"], vec!["contact_required"]);
    }

    #[test]
    fn viewing_needs_no_delivery() {
        let mut raw = valid();
        raw.obtain = Some("view".into());
        raw.delivery = None;
        assert_eq!(raw.validate().expect("valid").delivery, Delivery::Pickup);
    }

    #[test]
    fn identity_is_masked_and_names_become_initials() {
        assert_eq!(mask_identity("3374015708900001"), "************0001");
        assert_eq!(initials("siti  aminah putri"), "S.A.P.");
        assert_eq!(
            format!("{:?}", Nik::parse("3374015708900001").expect("valid")),
            "Nik(************0001)"
        );
    }
}
