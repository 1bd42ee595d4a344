//! A deterministic generator of realistic Indonesian public-information items, for benchmarks
//! and tests: register entries of the four statutory kinds, published answers to requests and
//! uploaded documents, across forty public bodies and the years 2019–2026.
//!
//! Deterministic on purpose (same `n` and `seed`, same items, on every machine): benchmark
//! figures stay comparable between runs, and no random-number dependency is needed.

use crate::{IndexDoc, SearchQuery};

/// A small, fast, good-enough PRNG (xorshift64*).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Zero is the one state xorshift never leaves.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n.max(1) as u64) as usize
    }

    /// A uniformly chosen item; `items` must not be empty.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// (slug, name, code used in reference numbers)
pub const BODIES: &[(&str, &str, &str)] = &[
    ("kab-kendal", "Pemerintah Kabupaten Kendal", "KENDAL"),
    ("kota-semarang", "Pemerintah Kota Semarang", "SMG"),
    ("kab-semarang", "Pemerintah Kabupaten Semarang", "KABSMG"),
    ("kab-demak", "Pemerintah Kabupaten Demak", "DEMAK"),
    ("kab-batang", "Pemerintah Kabupaten Batang", "BATANG"),
    (
        "kab-pekalongan",
        "Pemerintah Kabupaten Pekalongan",
        "KABPKL",
    ),
    ("kota-pekalongan", "Pemerintah Kota Pekalongan", "PKL"),
    ("kab-pemalang", "Pemerintah Kabupaten Pemalang", "PEMALANG"),
    ("kab-tegal", "Pemerintah Kabupaten Tegal", "KABTGL"),
    ("kota-tegal", "Pemerintah Kota Tegal", "TGL"),
    ("kab-brebes", "Pemerintah Kabupaten Brebes", "BREBES"),
    ("kab-kudus", "Pemerintah Kabupaten Kudus", "KUDUS"),
    ("kab-jepara", "Pemerintah Kabupaten Jepara", "JEPARA"),
    ("kab-pati", "Pemerintah Kabupaten Pati", "PATI"),
    ("kab-rembang", "Pemerintah Kabupaten Rembang", "REMBANG"),
    ("kab-blora", "Pemerintah Kabupaten Blora", "BLORA"),
    ("kab-grobogan", "Pemerintah Kabupaten Grobogan", "GROBOGAN"),
    ("kab-boyolali", "Pemerintah Kabupaten Boyolali", "BOYOLALI"),
    ("kab-klaten", "Pemerintah Kabupaten Klaten", "KLATEN"),
    ("kota-surakarta", "Pemerintah Kota Surakarta", "SKA"),
    ("kab-sukoharjo", "Pemerintah Kabupaten Sukoharjo", "SKH"),
    ("kab-wonogiri", "Pemerintah Kabupaten Wonogiri", "WONOGIRI"),
    ("kab-karanganyar", "Pemerintah Kabupaten Karanganyar", "KRA"),
    ("kab-sragen", "Pemerintah Kabupaten Sragen", "SRAGEN"),
    ("kab-magelang", "Pemerintah Kabupaten Magelang", "KABMGL"),
    ("kota-magelang", "Pemerintah Kota Magelang", "MGL"),
    ("kab-temanggung", "Pemerintah Kabupaten Temanggung", "TMG"),
    ("kab-wonosobo", "Pemerintah Kabupaten Wonosobo", "WSB"),
    ("kab-purworejo", "Pemerintah Kabupaten Purworejo", "PWR"),
    ("kab-kebumen", "Pemerintah Kabupaten Kebumen", "KEBUMEN"),
    ("kab-banyumas", "Pemerintah Kabupaten Banyumas", "BANYUMAS"),
    ("kab-cilacap", "Pemerintah Kabupaten Cilacap", "CILACAP"),
    ("kab-purbalingga", "Pemerintah Kabupaten Purbalingga", "PBG"),
    (
        "kab-banjarnegara",
        "Pemerintah Kabupaten Banjarnegara",
        "BNA",
    ),
    ("kota-salatiga", "Pemerintah Kota Salatiga", "SALATIGA"),
    ("prov-jateng", "Pemerintah Provinsi Jawa Tengah", "JATENG"),
    ("kota-yogyakarta", "Pemerintah Kota Yogyakarta", "YK"),
    ("kab-sleman", "Pemerintah Kabupaten Sleman", "SLEMAN"),
    ("kab-bantul", "Pemerintah Kabupaten Bantul", "BANTUL"),
    (
        "dprd-jateng",
        "Sekretariat DPRD Provinsi Jawa Tengah",
        "DPRDJTG",
    ),
];

pub const AGENCIES: &[&str] = &[
    "Dinas Kesehatan",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Perumahan dan Kawasan Permukiman",
    "Dinas Sosial",
    "Dinas Tenaga Kerja dan Transmigrasi",
    "Dinas Lingkungan Hidup",
    "Dinas Perhubungan",
    "Dinas Komunikasi dan Informatika",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Pertanian dan Pangan",
    "Dinas Kelautan dan Perikanan",
    "Dinas Perindustrian dan Perdagangan",
    "Dinas Koperasi dan Usaha Mikro",
    "Dinas Pariwisata Pemuda dan Olahraga",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Pengendalian Penduduk dan Keluarga Berencana",
    "Dinas Perpustakaan dan Kearsipan",
    "Dinas Pemadam Kebakaran",
    "Badan Perencanaan Pembangunan Daerah",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Badan Pendapatan Daerah",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Penanggulangan Bencana Daerah",
    "Badan Kesatuan Bangsa dan Politik",
    "Sekretariat Daerah",
    "Inspektorat Daerah",
    "Satuan Polisi Pamong Praja",
    "Rumah Sakit Umum Daerah",
    "Bagian Pengadaan Barang dan Jasa",
    "Bagian Hukum",
    "Bagian Organisasi",
    "Bagian Perekonomian dan Sumber Daya Alam",
    "Perusahaan Umum Daerah Air Minum",
];

const PLACE_HEADS: &[&str] = &[
    "sido", "karang", "tegal", "kali", "wono", "sumber", "banyu", "rejo", "mulyo", "jati", "suko",
    "pager", "gunung", "tanjung", "pasir", "kedung", "pucang", "watu", "sari", "bojong", "purwo",
    "giri", "lebak", "tambak", "bandar", "rowo", "bulu", "ngemplak", "kebon", "tirto",
];
const PLACE_TAILS: &[&str] = &[
    "rejo", "mulyo", "sari", "harjo", "agung", "asri", "jaya", "makmur", "kidul", "lor", "wetan",
    "kulon", "anyar", "arum", "wangi", "tengah", "baru", "indah", "kerto", "utomo",
];
const NAME_SYLLABLES: &[&str] = &[
    "su", "har", "to", "wi", "djo", "ya", "ti", "ni", "ran", "ma", "di", "ko", "no", "la", "sri",
    "bu", "di", "an", "tri", "ek", "wan", "da", "ri", "yan", "sa", "pur", "ham", "ga",
];

/// Subjects of public information, affixed as Indonesian affixes them.
pub const TOPICS: &[&str] = &[
    "pelaksanaan kegiatan",
    "pengadaan barang dan jasa",
    "pengelolaan keuangan daerah",
    "realisasi anggaran",
    "pembangunan jalan",
    "pemeliharaan jembatan",
    "rehabilitasi irigasi",
    "normalisasi drainase",
    "pembangunan gedung sekolah",
    "pelayanan kesehatan puskesmas",
    "penanganan stunting",
    "imunisasi dasar lengkap",
    "penyaluran bantuan sosial",
    "penyaluran bantuan langsung tunai",
    "pemberian beasiswa",
    "penyaluran dana desa",
    "alokasi dana desa",
    "pengelolaan sampah",
    "penyediaan air bersih",
    "sanitasi lingkungan",
    "penanggulangan banjir",
    "penanganan tanah longsor",
    "penanggulangan kekeringan",
    "perizinan berusaha",
    "penerbitan izin mendirikan bangunan",
    "persetujuan bangunan gedung",
    "pengawasan reklame",
    "penertiban pedagang kaki lima",
    "pemberdayaan usaha mikro",
    "pembinaan koperasi",
    "revitalisasi pasar tradisional",
    "pengelolaan terminal",
    "penataan parkir",
    "pemungutan retribusi",
    "pemungutan pajak daerah",
    "pengelolaan barang milik daerah",
    "belanja modal",
    "belanja pegawai",
    "belanja hibah",
    "pengangkatan pegawai",
    "seleksi perangkat desa",
    "rekrutmen tenaga honorer",
    "pendataan penduduk miskin",
    "penerbitan kartu tanda penduduk elektronik",
    "pelayanan akta kelahiran",
    "pengembangan pariwisata",
    "pelestarian cagar budaya",
    "penyelenggaraan festival budaya",
    "pembinaan olahraga",
    "perlindungan anak",
    "pencegahan kekerasan terhadap perempuan",
    "pengendalian inflasi",
    "ketahanan pangan",
    "distribusi pupuk bersubsidi",
    "pengembangan perikanan budidaya",
    "pengendalian pencemaran udara",
    "pengujian kendaraan bermotor",
    "penerangan jalan umum",
    "pengembangan jaringan internet desa",
    "pengelolaan arsip dinamis",
    "pengaduan masyarakat",
    "pelayanan informasi publik",
];

const HAZARDS: &[&str] = &[
    "banjir",
    "tanah longsor",
    "angin puting beliung",
    "kekeringan",
    "gelombang tinggi",
    "kebakaran hutan",
    "gempa bumi",
    "erupsi gunung",
    "wabah demam berdarah",
    "abrasi pantai",
];

const DOC_TYPES: &[&str] = &[
    "surat keputusan",
    "kontrak kerja",
    "rencana anggaran biaya",
    "berita acara serah terima",
    "laporan pertanggungjawaban",
    "notulen rapat",
    "daftar hadir",
    "dokumen pelaksanaan anggaran",
    "rencana umum pengadaan",
    "laporan hasil pemeriksaan",
    "surat perintah kerja",
    "rekapitulasi penerima",
];

const SENTENCES_REGISTER: &[&str] = &[
    "Dokumen ini memuat {topic} pada {agency} {body} tahun anggaran {year}.",
    "Informasi disusun berdasarkan data yang dihimpun dari {n} kecamatan, termasuk Kecamatan {place} dan Kecamatan {place2}.",
    "Total anggaran yang dialokasikan sebesar Rp{amount} dengan realisasi mencapai {pct} persen.",
    "Kegiatan dilaksanakan oleh {agency} bekerja sama dengan pemerintah desa {place}.",
    "Pelaksanaan kegiatan diawasi oleh Inspektorat Daerah dan dilaporkan secara berkala kepada kepala daerah.",
    "Masyarakat dapat memperoleh salinan dokumen ini melalui Pejabat Pengelola Informasi dan Dokumentasi.",
    "Data dimutakhirkan setiap triwulan dan diumumkan melalui laman resmi serta papan pengumuman kantor.",
    "Rincian belanja meliputi belanja pegawai, belanja barang dan jasa, serta belanja modal untuk {topic}.",
    "Penanggung jawab kegiatan adalah {person}, selaku pejabat pembuat komitmen.",
    "Sebanyak {n} paket pekerjaan telah ditetapkan pemenangnya melalui sistem pengadaan secara elektronik.",
    "Laporan ini disampaikan sebagai bentuk keterbukaan informasi publik sesuai Undang-Undang Nomor 14 Tahun 2008.",
    "Capaian kinerja {topic} pada tahun {year} meningkat dibandingkan tahun sebelumnya.",
    "Kendala yang dihadapi antara lain keterbatasan anggaran, cuaca, dan ketersediaan tenaga teknis di {place}.",
    "Dokumen pendukung berupa {doctype} dilampirkan dalam berkas terpisah.",
    "Penetapan dokumen dilakukan dengan keputusan kepala {agency} nomor {ref}.",
];

const SENTENCES_EXEMPT: &[&str] = &[
    "Informasi ini dikecualikan berdasarkan Pasal 17 Undang-Undang Nomor 14 Tahun 2008 setelah dilakukan uji konsekuensi.",
    "Pembukaan informasi dapat mengungkap data pribadi penerima {topic} di Kecamatan {place}.",
    "Masa pengecualian ditetapkan selama {n} tahun sejak tanggal penetapan.",
    "Uji konsekuensi dilakukan oleh Pejabat Pengelola Informasi dan Dokumentasi {body} bersama {agency}.",
];

const SENTENCES_ANSWER: &[&str] = &[
    "Pemohon mengajukan permohonan informasi mengenai {topic} di Kecamatan {place} tahun {year}.",
    "Permohonan diterima pada tanggal {day} {month} {year} dan diregistrasi dengan nomor {ref}.",
    "Menindaklanjuti permohonan tersebut, {agency} menyampaikan salinan {doctype} sebanyak {n} halaman.",
    "Sebagian informasi yang dimohon dikecualikan karena memuat data pribadi, sehingga bagian tersebut dihitamkan.",
    "Informasi diberikan dalam bentuk salinan elektronik yang dikirimkan melalui surat elektronik pemohon.",
    "Pemohon dapat mengajukan keberatan kepada atasan PPID dalam jangka waktu 30 hari kerja apabila tidak puas.",
    "Informasi yang dimohon belum dikuasai oleh {agency}, sehingga permohonan diteruskan kepada {agency2}.",
    "Jawaban disampaikan dalam jangka waktu sepuluh hari kerja sesuai ketentuan peraturan perundang-undangan.",
    "Berdasarkan data {agency}, realisasi {topic} mencapai Rp{amount} atau {pct} persen dari pagu.",
    "Pemohon atas nama {person} memohon penjelasan tentang pelaksanaan {topic} oleh {agency}.",
    "Biaya penggandaan ditanggung pemohon sesuai standar biaya yang ditetapkan {body}.",
    "Permohonan ditolak karena informasi yang diminta termasuk informasi yang dikecualikan.",
];

const ANSWER_TITLES: &[&str] = &[
    "Permohonan informasi {topic} di Kecamatan {place}",
    "Permintaan salinan {doctype} {agency} tahun {year}",
    "Apakah {agency} telah melaksanakan {topic} tahun {year}?",
    "Berapa anggaran {topic} di Desa {place}?",
    "Data penerima {topic} Kecamatan {place} tahun {year}",
    "Mohon informasi jadwal {topic} oleh {agency}",
];

const REGISTER_TITLES: &[(&str, &str)] = &[
    (
        "periodic",
        "Laporan Realisasi Anggaran {agency} Tahun {year}",
    ),
    ("periodic", "Rencana Strategis {agency} {year}-{year4}"),
    (
        "periodic",
        "Daftar Pengadaan Barang dan Jasa {agency} Tahun Anggaran {year}",
    ),
    ("periodic", "Laporan Keuangan {agency} Tahun {year}"),
    (
        "periodic",
        "Laporan Kinerja Instansi Pemerintah {agency} Tahun {year}",
    ),
    ("periodic", "Rencana Kerja {agency} Tahun {year}"),
    ("any_time", "Standar Operasional Prosedur {topic} {agency}"),
    (
        "any_time",
        "Daftar Penerima {topic} Kecamatan {place} Tahun {year}",
    ),
    ("any_time", "Peraturan Bupati tentang {topic}"),
    ("any_time", "Daftar Informasi Publik {agency} Tahun {year}"),
    (
        "immediate",
        "Informasi Peringatan Dini Bencana {hazard} di Kecamatan {place}",
    ),
    ("immediate", "Pengumuman Keadaan Darurat {hazard} {body}"),
    ("exempt", "Data Pribadi Penerima {topic} Kecamatan {place}"),
    ("exempt", "Dokumen Penyelidikan Pengaduan {topic} {agency}"),
];

const MONTHS: &[&str] = &[
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

pub const YEARS: std::ops::RangeInclusive<i32> = 2019..=2026;

/// Unix seconds of 1 January of `year` (UTC), for years 1970–2099.
fn year_start(year: i32) -> i64 {
    let mut days = 0i64;
    for y in 1970..year {
        days += if y % 4 == 0 { 366 } else { 365 };
    }
    days * 86_400
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One of the 600 place names (a Javanese-style compound such as "Sidorejo").
pub fn place(rng: &mut Rng) -> String {
    capitalise(&format!(
        "{}{}",
        rng.pick(PLACE_HEADS),
        rng.pick(PLACE_TAILS)
    ))
}

/// One of several thousand person names, most of them rare.
pub fn person(rng: &mut Rng) -> String {
    let syllables = 2 + rng.below(3);
    let mut name = String::new();
    for _ in 0..syllables {
        name.push_str(rng.pick(NAME_SYLLABLES));
    }
    capitalise(&name)
}

fn amount(rng: &mut Rng) -> String {
    let millions = 10 + rng.below(9_990);
    let thousands = rng.below(1_000);
    format!(
        "{}.{:03}.{:03}.000",
        millions / 1000,
        millions % 1000,
        thousands
    )
    .trim_start_matches("0.")
    .to_owned()
}

struct Ctx<'a> {
    body: (&'a str, &'a str, &'a str),
    agency: &'a str,
    agency2: &'a str,
    topic: &'a str,
    place: String,
    place2: String,
    person: String,
    year: i32,
    reference: &'a str,
}

fn fill(template: &str, c: &Ctx<'_>, rng: &mut Rng, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let key = &rest[open + 1..open + close];
        match key {
            "body" => out.push_str(c.body.1),
            "agency" => out.push_str(c.agency),
            "agency2" => out.push_str(c.agency2),
            "topic" => out.push_str(c.topic),
            "place" => out.push_str(&c.place),
            "place2" => out.push_str(&c.place2),
            "person" => out.push_str(&c.person),
            "year" => out.push_str(&c.year.to_string()),
            "year4" => out.push_str(&(c.year + 4).to_string()),
            "ref" => out.push_str(c.reference),
            "n" => out.push_str(&(2 + rng.below(150)).to_string()),
            "pct" => out.push_str(&format!("{},{}", 40 + rng.below(60), rng.below(10))),
            "amount" => out.push_str(&amount(rng)),
            "day" => out.push_str(&(1 + rng.below(28)).to_string()),
            "month" => out.push_str(rng.pick(MONTHS)),
            "doctype" => out.push_str(rng.pick(DOC_TYPES)),
            "hazard" => out.push_str(rng.pick(HAZARDS)),
            other => out.push_str(other),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
}

/// `n` items, the same for the same `seed`. Texts average about 800 bytes.
pub fn generate(n: usize, seed: u64) -> impl Iterator<Item = IndexDoc> {
    let mut rng = Rng::new(seed);
    (0..n).map(move |i| item(i, &mut rng))
}

fn item(i: usize, rng: &mut Rng) -> IndexDoc {
    let body = rng.pick(BODIES);
    let year = 2019 + rng.below(8) as i32;
    let roll = rng.below(100);
    let (kind, title_template) = match roll {
        0..=54 => rng.pick(REGISTER_TITLES),
        55..=84 => ("answer", rng.pick(ANSWER_TITLES)),
        _ => ("document", ""),
    };
    let reference = match kind {
        "answer" => format!("REQ-{}-{year}-{:05}", body.2, rng.below(100_000)),
        "document" => format!(
            "{:03}/{}/{}/{year}",
            1 + rng.below(999),
            rng.pick(&["SK", "BA", "SPK", "ND"]),
            body.2
        ),
        _ => format!("{:04}/PPID-{}/{year}", 1 + rng.below(9_999), body.2),
    };
    let c = Ctx {
        body,
        agency: rng.pick(AGENCIES),
        agency2: rng.pick(AGENCIES),
        topic: rng.pick(TOPICS),
        place: place(rng),
        place2: place(rng),
        person: person(rng),
        year,
        reference: &reference,
    };
    let mut title = String::new();
    if kind == "document" {
        let doctype = capitalise(rng.pick(DOC_TYPES));
        title.push_str(&doctype);
        title.push(' ');
        fill("{topic} {agency} tahun {year}", &c, rng, &mut title);
    } else {
        fill(title_template, &c, rng, &mut title);
    }
    let (sentences, count) = match kind {
        "answer" => (SENTENCES_ANSWER, 3 + rng.below(4)),
        "exempt" => (SENTENCES_EXEMPT, 3 + rng.below(2)),
        "document" => (SENTENCES_REGISTER, 8 + rng.below(8)),
        _ => (SENTENCES_REGISTER, 4 + rng.below(6)),
    };
    let mut text = String::with_capacity(1024);
    for s in 0..count {
        if s > 0 {
            text.push(' ');
        }
        let pool: &[&str] = if kind == "exempt" && s >= 2 {
            SENTENCES_REGISTER
        } else {
            sentences
        };
        fill(rng.pick(pool), &c, rng, &mut text);
    }
    let (prefix, path) = match kind {
        "answer" => ("answer", "jawaban"),
        "document" => ("document", "dokumen"),
        _ => ("entry", "informasi"),
    };
    let published_at = year_start(year) + rng.below(365 * 86_400) as i64;
    IndexDoc {
        id: format!("{prefix}:{i:012x}"),
        kind: kind.to_owned(),
        body_slug: body.0.to_owned(),
        body_name: body.1.to_owned(),
        year,
        title,
        text,
        reference,
        url: format!("/{}/{path}/{i}", body.0),
        published_at,
    }
}

/// Queries as people type them against a corpus from [`generate`]: one to four words, common
/// and rare, some misspelt, some reference numbers, a fifth with a filter.
pub fn sample_queries(n: usize, seed: u64) -> Vec<SearchQuery> {
    let mut rng = Rng::new(seed ^ 0x005E_A2C4);
    (0..n)
        .map(|_| {
            let topic = rng.pick(TOPICS);
            let topic_words: Vec<&str> = topic.split(' ').collect();
            let q = match rng.below(100) {
                0..=29 => rng.pick(&topic_words).to_owned(),
                30..=49 => format!(
                    "{} {}",
                    rng.pick(&topic_words),
                    place(&mut rng).to_lowercase()
                ),
                50..=64 => topic.to_owned(),
                65..=74 => format!(
                    "{} {}",
                    rng.pick(AGENCIES).to_lowercase(),
                    rng.pick(&topic_words)
                )
                .split(' ')
                .take(4)
                .collect::<Vec<_>>()
                .join(" "),
                75..=82 => person(&mut rng).to_lowercase(),
                83..=90 => {
                    // A typo: one letter of a longer word dropped.
                    let word = topic_words
                        .iter()
                        .copied()
                        .max_by_key(|w| w.len())
                        .unwrap_or(topic);
                    let cut = 1 + rng.below(word.len().saturating_sub(2).max(1));
                    let mut typo = word.to_owned();
                    if typo.is_char_boundary(cut)
                        && typo.is_char_boundary(cut + 1)
                        && cut < typo.len()
                    {
                        typo.remove(cut);
                    }
                    typo
                }
                91..=95 => {
                    let body = rng.pick(BODIES);
                    format!(
                        "{:04}/PPID-{}/{}",
                        1 + rng.below(9_999),
                        body.2,
                        rng.pick(&[2024, 2025, 2026])
                    )
                }
                _ => format!("permohonan {}", rng.pick(&topic_words)),
            };
            let mut query = SearchQuery {
                q,
                limit: 10,
                ..SearchQuery::default()
            };
            match rng.below(100) {
                0..=9 => query.body = Some(rng.pick(BODIES).0.to_owned()),
                10..=14 => query.year = Some(2019 + rng.below(8) as i32),
                15..=19 => query.kind = Some(rng.pick(&crate::KINDS).to_owned()),
                _ => {}
            }
            query
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let a: Vec<_> = generate(200, 7).collect();
        let b: Vec<_> = generate(200, 7).collect();
        assert_eq!(a, b);
        let c: Vec<_> = generate(200, 8).collect();
        assert_ne!(a, c);
        for kind in crate::KINDS {
            assert!(a.iter().any(|d| d.kind == kind), "no {kind}");
        }
        let avg = a.iter().map(|d| d.text.len()).sum::<usize>() / a.len();
        assert!((500..=1_100).contains(&avg), "average text {avg} bytes");
        let ids: std::collections::HashSet<_> = a.iter().map(|d| &d.id).collect();
        assert_eq!(ids.len(), a.len());
    }

    #[test]
    fn vocabulary_is_large() {
        let mut words = std::collections::HashSet::new();
        for d in generate(5_000, 1) {
            for w in d.text.split(|c: char| !c.is_alphanumeric()) {
                words.insert(w.to_lowercase());
            }
        }
        assert!(words.len() > 3_000, "{} distinct words", words.len());
    }

    #[test]
    fn year_start_is_right() {
        assert_eq!(year_start(1970), 0);
        assert_eq!(year_start(2026), 1_767_225_600);
    }
}
