//! The built-in questionnaire, after the KI DKI 2025 indicators (§9.2) and the checklist of
//! §9.4, for a year that has none of its own.

use super::{AutoCheck, Indicator, Question, Questionnaire};

fn q(code: &str, text: &str, weight: f64, auto: Option<AutoCheck>) -> Question {
    Question {
        code: code.to_owned(),
        text: text.to_owned(),
        weight,
        auto,
    }
}

impl Questionnaire {
    /// The built-in questionnaire, after the KI DKI 2025 indicators (§9.2) and the SAQ-driven
    /// checklist of §9.4; SAQ 80 %, presentation 20 %.
    pub fn default_for(year: i32) -> Self {
        use AutoCheck as A;
        let ind = |code: &str, label: &str, weight: f64, questions: Vec<Question>| Indicator {
            code: code.to_owned(),
            label: label.to_owned(),
            weight,
            questions,
        };
        Self {
            year,
            saq_weight: 80.0,
            presentation_weight: 20.0,
            indicators: vec![
                ind(
                    "kualitas_informasi",
                    "Kualitas informasi",
                    20.0,
                    vec![
                        q(
                            "KI1",
                            "Profil PPID (SK PPID, struktur organisasi, tugas dan fungsi) diumumkan",
                            1.0,
                            None,
                        ),
                        q(
                            "KI2",
                            "Daftar Informasi Publik tahun berjalan diumumkan dalam format Perki",
                            2.0,
                            Some(A::DipPublished),
                        ),
                        q(
                            "KI3",
                            "Daftar informasi publik memenuhi sekurang-kurangnya 80% daftar periksa minimum",
                            2.0,
                            Some(A::ChecklistCompleteAtLeast(80)),
                        ),
                        q(
                            "KI4",
                            "Laporan layanan informasi publik tahunan dan ringkasannya tersedia",
                            1.0,
                            Some(A::AnnualFiguresAvailable),
                        ),
                        q(
                            "KI5",
                            "Regulasi keterbukaan informasi (UU KIP, PP 61/2010, Perki, SOP) diumumkan",
                            1.0,
                            None,
                        ),
                    ],
                ),
                ind(
                    "sarana_prasarana",
                    "Sarana dan prasarana",
                    15.0,
                    vec![
                        q(
                            "SP1",
                            "Menu PPID terintegrasi pada laman utama dan ramah perangkat seluler",
                            1.0,
                            None,
                        ),
                        q("SP2", "Ruang layanan informasi tersedia", 1.0, None),
                        q(
                            "SP3",
                            "Akses bagi penyandang disabilitas (termasuk maklumat dalam audio/visual/braille)",
                            1.0,
                            None,
                        ),
                        q(
                            "SP4",
                            "Formulir permohonan informasi daring tersedia",
                            1.0,
                            Some(A::OnlineRequestForm),
                        ),
                        q(
                            "SP5",
                            "Formulir keberatan tersedia",
                            1.0,
                            Some(A::ObjectionForm),
                        ),
                    ],
                ),
                ind(
                    "jenis_informasi",
                    "Jenis informasi",
                    20.0,
                    vec![
                        q(
                            "JI1",
                            "Informasi berkala diumumkan",
                            1.0,
                            Some(A::ChecklistCompleteAtLeast(50)),
                        ),
                        q("JI2", "Informasi serta merta diumumkan bila ada", 1.0, None),
                        q(
                            "JI3",
                            "Informasi tersedia setiap saat diumumkan",
                            1.0,
                            Some(A::DipPublished),
                        ),
                        q(
                            "JI4",
                            "Daftar Informasi yang Dikecualikan beserta uji konsekuensi diumumkan",
                            1.0,
                            Some(A::DikPublished),
                        ),
                        q(
                            "JI5",
                            "Jawaban atas permohonan informasi dipublikasikan",
                            1.0,
                            Some(A::AnswersPublished),
                        ),
                    ],
                ),
                ind(
                    "pelayanan_informasi",
                    "Pelayanan informasi",
                    20.0,
                    vec![
                        q(
                            "PI1",
                            "Standar layanan (waktu, biaya, prosedur) diumumkan",
                            1.0,
                            Some(A::ServiceStandardPublished),
                        ),
                        q(
                            "PI2",
                            "Maklumat pelayanan informasi diumumkan",
                            1.0,
                            Some(A::CharterPublished),
                        ),
                        q(
                            "PI3",
                            "Status permohonan dapat dilacak pemohon",
                            1.0,
                            Some(A::RequestTracking),
                        ),
                        q(
                            "PI4",
                            "Register permohonan diumumkan tanpa data pribadi",
                            1.0,
                            Some(A::PublicRequestRegister),
                        ),
                        q(
                            "PI5",
                            "Sekurang-kurangnya 90% permohonan dijawab dalam jangka waktu",
                            2.0,
                            Some(A::OnTimeAtLeast(90)),
                        ),
                        q(
                            "PI6",
                            "Putusan mediasi/ajudikasi dilaksanakan dan buktinya diumumkan",
                            1.0,
                            None,
                        ),
                    ],
                ),
                ind(
                    "komitmen_organisasi",
                    "Komitmen organisasi",
                    10.0,
                    vec![
                        q(
                            "KO1",
                            "SK PPID dan PPID Pelaksana ditetapkan pimpinan",
                            1.0,
                            None,
                        ),
                        q("KO2", "Anggaran layanan informasi tersedia", 1.0, None),
                        q(
                            "KO3",
                            "Pimpinan menetapkan kebijakan keterbukaan informasi",
                            1.0,
                            None,
                        ),
                        q(
                            "KO4",
                            "Petugas layanan informasi mendapat pelatihan",
                            1.0,
                            None,
                        ),
                    ],
                ),
                ind(
                    "digitalisasi",
                    "Digitalisasi",
                    15.0,
                    vec![
                        q(
                            "DG1",
                            "Permohonan dapat diajukan dan dipantau secara daring",
                            1.0,
                            Some(A::OnlineRequestForm),
                        ),
                        q(
                            "DG2",
                            "Daftar informasi dapat diunduh (CSV/XLSX)",
                            1.0,
                            Some(A::DipPublished),
                        ),
                        q(
                            "DG3",
                            "Statistik layanan tahunan tersedia secara daring",
                            1.0,
                            Some(A::AnnualFiguresAvailable),
                        ),
                        q(
                            "DG4",
                            "Survei kepuasan layanan dilakukan dan hasilnya diumumkan",
                            1.0,
                            None,
                        ),
                        q("DG5", "Inovasi layanan informasi", 1.0, None),
                    ],
                ),
            ],
        }
    }
}
