//! Pure rules of the Indonesian public-information service (UU 14/2008): the legal calendar,
//! the request lifecycle as an event fold, form validation and the access policy.
//!
//! No I/O, no clock: callers pass `today` and the compiled calendar. That keeps every rule
//! testable with property tests and makes the event log the only source of truth.

pub mod access;
pub mod calendar;
pub mod consequence;
pub mod dates;
pub mod dispute;
pub mod labels;
pub mod letters;
pub mod mail;
pub mod monev;
pub mod notice;
pub mod numbering;
pub mod objection;
pub mod privacy;
pub mod publication;
pub mod register;
pub mod report;
pub mod request;
pub mod submission;
pub mod tally;
pub mod values;

pub use calendar::{
    CalendarIncomplete, CalendarSettings, ClockMode, NationalCalendar, WorkingCalendar,
};
pub use request::{RequestEvent, RequestState, RequestStatus, TransitionError};
pub use values::{
    ApplicantKind, BodyKind, Channel, Delivery, ExemptionGround, InfoForm, InfoKind, Obtain,
    Outcome, PeriodKind, Role, TestConclusion, TestTrigger, TimeZone,
};
