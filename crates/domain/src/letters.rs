//! Which official letters an event calls for, and what each kind is called. A letter is
//! generated from the record when its event happens and kept unchanged afterwards; this module
//! says which, so that every write path asks the same question.

use crate::objection::ObjectionEvent;
use crate::request::RequestEvent;
use crate::values::Outcome;

/// The kinds of official letter a PPID issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterKind {
    /// *Tanda bukti penerimaan permintaan informasi publik*.
    Receipt,
    /// *Permintaan melengkapi* (identity or fields incomplete).
    Incomplete,
    /// *Pemberitahuan perpanjangan waktu* (Pasal 22(8)).
    Extension,
    /// *Pemberitahuan tertulis* (Pasal 22(7)), items a–g.
    Notice,
    /// The notice that the information is held by another body, with where to ask.
    Forwarding,
    /// *Tanda bukti penerimaan keberatan*.
    ObjectionReceipt,
    /// *Tanggapan atasan PPID* on an objection.
    ObjectionAnswer,
}

impl LetterKind {
    pub const ALL: [LetterKind; 7] = [
        Self::Receipt,
        Self::Incomplete,
        Self::Extension,
        Self::Notice,
        Self::Forwarding,
        Self::ObjectionReceipt,
        Self::ObjectionAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Incomplete => "incomplete",
            Self::Extension => "extension",
            Self::Notice => "notice",
            Self::Forwarding => "forwarding",
            Self::ObjectionReceipt => "objection_receipt",
            Self::ObjectionAnswer => "objection_answer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The short code a letter-number pattern prints for `{kind}`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Receipt => "TBP",
            Self::Incomplete => "PML",
            Self::Extension => "PPW",
            Self::Notice => "PT",
            Self::Forwarding => "PTD",
            Self::ObjectionReceipt => "TBK",
            Self::ObjectionAnswer => "TAP",
        }
    }

    /// The letter's title as printed, in capitals.
    pub fn title_id(self) -> &'static str {
        match self {
            Self::Receipt => "TANDA BUKTI PENERIMAAN PERMINTAAN INFORMASI PUBLIK",
            Self::Incomplete => "PERMINTAAN MELENGKAPI PERMOHONAN INFORMASI PUBLIK",
            Self::Extension => "PEMBERITAHUAN PERPANJANGAN WAKTU",
            Self::Notice => "PEMBERITAHUAN TERTULIS",
            Self::Forwarding => "PEMBERITAHUAN INFORMASI TIDAK DIKUASAI",
            Self::ObjectionReceipt => "TANDA BUKTI PENERIMAAN KEBERATAN",
            Self::ObjectionAnswer => "TANGGAPAN ATAS KEBERATAN",
        }
    }

    /// Its name in a sentence or a list (`Tanda bukti penerimaan`).
    pub fn name_id(self) -> &'static str {
        match self {
            Self::Receipt => "Tanda bukti penerimaan",
            Self::Incomplete => "Permintaan melengkapi",
            Self::Extension => "Pemberitahuan perpanjangan",
            Self::Notice => "Pemberitahuan tertulis",
            Self::Forwarding => "Pemberitahuan informasi tidak dikuasai",
            Self::ObjectionReceipt => "Tanda bukti penerimaan keberatan",
            Self::ObjectionAnswer => "Tanggapan atasan PPID",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Self::Receipt => "Receipt",
            Self::Incomplete => "Request to complete",
            Self::Extension => "Notice of extension",
            Self::Notice => "Written notice",
            Self::Forwarding => "Notice that the information is held elsewhere",
            Self::ObjectionReceipt => "Receipt of the objection",
            Self::ObjectionAnswer => "Answer of the PPID's superior",
        }
    }
}

/// The letters a request event calls for (none for most events).
pub fn for_request_event(e: &RequestEvent) -> Vec<LetterKind> {
    match e {
        RequestEvent::Received { .. } => vec![LetterKind::Receipt],
        RequestEvent::MarkedIncomplete { .. } => vec![LetterKind::Incomplete],
        RequestEvent::Extended { .. } => vec![LetterKind::Extension],
        RequestEvent::Decided(d) if d.outcome == Outcome::NotHeld && d.notice.holder.is_some() => {
            vec![LetterKind::Notice, LetterKind::Forwarding]
        }
        RequestEvent::Decided(_) => vec![LetterKind::Notice],
        _ => Vec::new(),
    }
}

/// The letters an objection event calls for.
pub fn for_objection_event(e: &ObjectionEvent) -> Vec<LetterKind> {
    match e {
        ObjectionEvent::Filed { .. } => vec![LetterKind::ObjectionReceipt],
        ObjectionEvent::Decided { .. } => vec![LetterKind::ObjectionAnswer],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_have_distinct_codes() {
        let mut codes = std::collections::HashSet::new();
        for k in LetterKind::ALL {
            assert_eq!(LetterKind::parse(k.as_str()), Some(k));
            assert!(codes.insert(k.code()), "{k:?}");
            assert!(!k.title_id().is_empty() && !k.name_en().is_empty());
        }
        assert_eq!(LetterKind::parse("nope"), None);
    }

    #[test]
    fn only_the_events_the_law_writes_to_the_requester_about_call_for_letters() {
        assert_eq!(
            for_request_event(&RequestEvent::Verified),
            Vec::<LetterKind>::new()
        );
        assert_eq!(
            for_request_event(&RequestEvent::MarkedIncomplete { note: "KTP".into() }),
            vec![LetterKind::Incomplete]
        );
        assert_eq!(
            for_objection_event(&ObjectionEvent::Closed { note: None }),
            Vec::<LetterKind>::new()
        );
    }
}
