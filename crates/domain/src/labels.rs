//! Names shown to people for the codes the record stores, in Indonesian and English: one
//! table for the pages, the written documents and the exports.

/// The name of an event kind of a request, objection or dispute log: (Indonesian, English).
pub fn event_label(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "received" => ("Permohonan diterima", "Request received"),
        "marked_incomplete" => (
            "Diminta melengkapi persyaratan",
            "Asked to complete the requirements",
        ),
        "verified" => ("Persyaratan diverifikasi", "Requirements verified"),
        "routed" => ("Didisposisikan ke PPID Pelaksana", "Routed to a unit PPID"),
        "extended" => ("Jangka waktu diperpanjang", "Time limit extended"),
        "decided" => (
            "Pemberitahuan tertulis diterbitkan",
            "Written notice issued",
        ),
        "payment_requested" => ("Menunggu pembayaran biaya", "Awaiting payment of the fee"),
        "delivered" => ("Informasi diserahkan", "Information delivered"),
        "closed" => ("Selesai", "Closed"),
        "withdrawn" => ("Permohonan dicabut", "Request withdrawn"),
        "not_processable" => ("Tidak dapat diproses", "Not processable"),
        "reopened" => (
            "Dibuka kembali setelah keberatan dikabulkan",
            "Reopened after the objection was upheld",
        ),
        "due_recomputed" => (
            "Tenggat dihitung ulang karena kalender berubah",
            "Deadline recomputed after a calendar change",
        ),
        "objection_filed" => ("Keberatan diajukan", "Objection filed"),
        "objection_review_started" => ("Keberatan diperiksa atasan PPID", "Objection under review"),
        "objection_settled" => ("Selesai melalui musyawarah", "Settled by deliberation"),
        "objection_decided" => ("Tanggapan atasan PPID", "Superior's answer"),
        "objection_disputed" => (
            "Diajukan ke Komisi Informasi",
            "Taken to the Information Commission",
        ),
        "objection_closed" => ("Keberatan selesai", "Objection closed"),
        "dispute_filed" => (
            "Permohonan penyelesaian sengketa ke KI",
            "Dispute filed at the KI",
        ),
        "dispute_registered" => ("Teregistrasi di KI", "Registered at the KI"),
        "dispute_session" => ("Sidang", "Hearing"),
        "dispute_mediation_failed" => ("Mediasi gagal", "Mediation failed"),
        "dispute_ruled" => (
            "Putusan Komisi Informasi",
            "Information Commission decision",
        ),
        "dispute_appealed" => ("Keberatan ke pengadilan", "Taken to court"),
        "dispute_court_decided" => ("Putusan pengadilan", "Court decision"),
        "dispute_cassation_filed" => ("Kasasi diajukan", "Cassation filed"),
        "dispute_cassation_decided" => ("Putusan kasasi", "Cassation decision"),
        "dispute_final" => ("Berkekuatan hukum tetap", "Final and binding"),
        "dispute_complied" => ("Putusan dilaksanakan", "Decision carried out"),
        "dispute_withdrawn" => ("Sengketa dicabut", "Dispute withdrawn"),
        _ => ("Peristiwa", "Event"),
    }
}

/// The sentence that goes with a provisional date (domain spec §7.1): (Indonesian, English).
pub fn provisional_note(year: i32) -> (String, String) {
    (
        format!(
            "Tanggal sementara, paling cepat; dapat bergeser setelah SKB hari libur tahun {year} dimuat."
        ),
        format!(
            "Provisional, the earliest possible date; it may move once the {year} holiday decree (SKB) is loaded."
        ),
    )
}

/// A date for a written document, with the provisional sentence when it is one.
pub fn dated(d: Option<time::Date>, provisional: bool) -> String {
    match d {
        None => "—".to_owned(),
        Some(d) if provisional => format!("{d} (sementara) — {}", provisional_note(d.year()).0),
        Some(d) => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_has_a_name() {
        for kind in [
            "received",
            "decided",
            "due_recomputed",
            "objection_filed",
            "dispute_ruled",
            "dispute_withdrawn",
        ] {
            assert_ne!(event_label(kind).0, "Peristiwa", "{kind}");
        }
    }
}
