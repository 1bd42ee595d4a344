//! Which steps of a case are mailed to the requester, and what the mail says, in Indonesian
//! and English. Every mail here tells of a step the law makes the body tell the requester of
//! (a legal notice): none carries an unsubscribe link.

use crate::objection::ObjectionEvent;
use crate::request::RequestEvent;

/// The mails a requester receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    Receipt,
    Incomplete,
    Extension,
    Decision,
    Payment,
    Delivery,
    ObjectionReceipt,
    ObjectionAnswer,
}

impl MailKind {
    pub const ALL: [MailKind; 8] = [
        Self::Receipt,
        Self::Incomplete,
        Self::Extension,
        Self::Decision,
        Self::Payment,
        Self::Delivery,
        Self::ObjectionReceipt,
        Self::ObjectionAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Incomplete => "incomplete",
            Self::Extension => "extension",
            Self::Decision => "decision",
            Self::Payment => "payment",
            Self::Delivery => "delivery",
            Self::ObjectionReceipt => "objection_receipt",
            Self::ObjectionAnswer => "objection_answer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the subject says after the case number, in the requester's language.
    fn topic(self, english: bool) -> &'static str {
        match (self, english) {
            (Self::Receipt, false) => "Permohonan informasi Anda telah diterima",
            (Self::Receipt, true) => "Your information request was received",
            (Self::Incomplete, false) => "Permohonan Anda perlu dilengkapi",
            (Self::Incomplete, true) => "Your request needs to be completed",
            (Self::Extension, false) => "Jangka waktu jawaban diperpanjang",
            (Self::Extension, true) => "The time to answer was extended",
            (Self::Decision, false) => "Pemberitahuan tertulis atas permohonan Anda",
            (Self::Decision, true) => "Written notice on your request",
            (Self::Payment, false) => "Biaya salinan informasi",
            (Self::Payment, true) => "The fee for the copies",
            (Self::Delivery, false) => "Informasi telah diserahkan",
            (Self::Delivery, true) => "The information was delivered",
            (Self::ObjectionReceipt, false) => "Keberatan Anda telah diterima",
            (Self::ObjectionReceipt, true) => "Your objection was received",
            (Self::ObjectionAnswer, false) => "Tanggapan atasan PPID atas keberatan Anda",
            (Self::ObjectionAnswer, true) => "The superior's answer to your objection",
        }
    }

    fn lead(self, english: bool) -> &'static str {
        match (self, english) {
            (Self::Receipt, false) => {
                "Permohonan informasi publik Anda telah kami terima dan dicatat. Tanda bukti penerimaan terlampir."
            }
            (Self::Receipt, true) => {
                "We received and registered your public information request. The receipt is attached."
            }
            (Self::Incomplete, false) => {
                "Permohonan Anda belum lengkap. Surat permintaan melengkapi terlampir; jangka waktu pelayanan tetap berjalan."
            }
            (Self::Incomplete, true) => {
                "Your request is not complete yet. The letter asking you to complete it is attached; the time limit keeps running."
            }
            (Self::Extension, false) => {
                "Jangka waktu pemberitahuan tertulis diperpanjang paling lama 7 hari kerja (Pasal 22 ayat (8) UU 14/2008). Pemberitahuan perpanjangan terlampir."
            }
            (Self::Extension, true) => {
                "The time for the written notice was extended by at most 7 working days (Article 22(8) of Law 14/2008). The notice of extension is attached."
            }
            (Self::Decision, false) => {
                "Kami telah memutus permohonan Anda. Pemberitahuan tertulis (Pasal 22 ayat (7) UU 14/2008) terlampir."
            }
            (Self::Decision, true) => {
                "We decided on your request. The written notice (Article 22(7) of Law 14/2008) is attached."
            }
            (Self::Payment, false) => {
                "Informasi dapat diberikan setelah biaya nyata penggandaan atau pengiriman dibayar. Rinciannya ada di halaman lacak."
            }
            (Self::Payment, true) => {
                "The information can be given once the actual cost of copying or sending is paid. The details are on the tracking page."
            }
            (Self::Delivery, false) => "Informasi yang Anda minta telah diserahkan.",
            (Self::Delivery, true) => "The information you asked for was delivered.",
            (Self::ObjectionReceipt, false) => {
                "Keberatan Anda telah kami terima. Atasan PPID wajib menanggapi paling lambat 30 hari kerja. Tanda bukti penerimaan keberatan terlampir."
            }
            (Self::ObjectionReceipt, true) => {
                "We received your objection. The PPID's superior must answer within 30 working days. The receipt of the objection is attached."
            }
            (Self::ObjectionAnswer, false) => {
                "Atasan PPID telah menanggapi keberatan Anda. Tanggapan tertulis terlampir. Bila tidak puas, Anda dapat mengajukan sengketa kepada Komisi Informasi dalam 14 hari kerja."
            }
            (Self::ObjectionAnswer, true) => {
                "The PPID's superior answered your objection. The written answer is attached. If you are not satisfied you may bring a dispute to the Information Commission within 14 working days."
            }
        }
    }
}

/// The mail a request event calls for.
pub fn for_request_event(e: &RequestEvent) -> Option<MailKind> {
    Some(match e {
        RequestEvent::Received { .. } => MailKind::Receipt,
        RequestEvent::MarkedIncomplete { .. } => MailKind::Incomplete,
        RequestEvent::Extended { .. } => MailKind::Extension,
        RequestEvent::Decided(_) => MailKind::Decision,
        RequestEvent::PaymentRequested { .. } => MailKind::Payment,
        RequestEvent::Delivered { .. } => MailKind::Delivery,
        _ => return None,
    })
}

/// The mail an objection event calls for.
pub fn for_objection_event(e: &ObjectionEvent) -> Option<MailKind> {
    match e {
        ObjectionEvent::Filed { .. } => Some(MailKind::ObjectionReceipt),
        ObjectionEvent::Decided { .. } => Some(MailKind::ObjectionAnswer),
        _ => None,
    }
}

/// What the mail is about.
#[derive(Debug, Clone, Default)]
pub struct MailFacts {
    /// The case number (request or objection).
    pub number: String,
    pub body_name: String,
    pub tracking_url: String,
    /// Names of the letters attached.
    pub attached: Vec<String>,
}

/// A header value on one line: line breaks and other control characters become spaces, so that
/// nothing typed by a user can start a header of its own.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The subject and the plain-text body of a mail.
pub fn compose(kind: MailKind, f: &MailFacts, english: bool) -> (String, String) {
    let subject = one_line(&format!("[{}] {}", f.number, kind.topic(english)));
    let mut text = String::new();
    text.push_str(if english {
        "Dear requester,\n\n"
    } else {
        "Yth. Pemohon,\n\n"
    });
    text.push_str(kind.lead(english));
    text.push_str("\n\n");
    if !f.attached.is_empty() {
        text.push_str(if english { "Attached: " } else { "Lampiran: " });
        text.push_str(&f.attached.join(", "));
        text.push_str(".\n\n");
    }
    text.push_str(if english {
        "Follow your request with its number and tracking code at:\n"
    } else {
        "Ikuti perkembangan permohonan dengan nomor dan kode lacak Anda di:\n"
    });
    text.push_str(&f.tracking_url);
    text.push_str("\n\n");
    text.push_str(if english {
        "You may reply to this message; your reply is filed with your case.\n\n"
    } else {
        "Anda dapat membalas pesan ini; balasan Anda dicatat pada berkas permohonan.\n\n"
    });
    text.push_str(&format!("PPID {}\n", f.body_name));
    (subject, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kinds_round_trip() {
        for k in MailKind::ALL {
            assert_eq!(MailKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn a_mail_names_the_case_and_the_way_back() {
        let f = MailFacts {
            number: "0001/PPID/II/2026".into(),
            body_name: "Kabupaten A".into(),
            tracking_url: "https://ppid.a.go.id/lacak".into(),
            attached: vec!["Tanda bukti penerimaan".into()],
        };
        let (s, t) = compose(MailKind::Receipt, &f, false);
        assert_eq!(
            s,
            "[0001/PPID/II/2026] Permohonan informasi Anda telah diterima"
        );
        assert!(
            t.contains("https://ppid.a.go.id/lacak")
                && t.contains("Lampiran: Tanda bukti penerimaan.")
        );
        let (s, _) = compose(MailKind::Decision, &f, true);
        assert!(s.ends_with("Written notice on your request"));
    }

    proptest! {
        /// Whatever a name or number holds, the subject stays one line.
        #[test]
        fn subjects_never_break_a_line(number in ".{0,80}", body in ".{0,80}") {
            let f = MailFacts { number, body_name: body, ..MailFacts::default() };
            for k in MailKind::ALL {
                let (s, _) = compose(k, &f, false);
                prop_assert!(!s.contains('\r') && !s.contains('\n'));
                prop_assert!(!s.chars().any(char::is_control));
            }
        }
    }
}
