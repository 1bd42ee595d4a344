use lentera_search::stem::stem;

#[test]
fn mohon_family_meets_at_the_root() {
    for word in ["permohonan", "pemohon", "memohon", "dimohon", "mohon"] {
        assert_eq!(stem(word), "mohon", "{word}");
    }
}

#[test]
fn common_public_information_words() {
    let cases = [
        ("informasi", "informasi"),
        ("keuangan", "uang"),
        ("pengadaan", "ada"),
        ("dikecualikan", "kecuali"),
        ("anggaran", "anggar"),
        ("kegiatan", "giat"),
        ("pelaksanaan", "laksana"),
        ("diberikan", "beri"),
        ("menyampaikan", "sampai"),
        ("perencanaan", "rencana"),
        ("pembangunan", "bangun"),
        ("keberatan", "berat"),
        ("sengketa", "sengketa"),
    ];
    for (word, expected) in cases {
        assert_eq!(stem(word), expected, "{word}");
    }
}

#[test]
fn non_words_are_untouched() {
    for word in ["2026", "0012", "ppid", "req", "x1y2z3", ""] {
        assert_eq!(stem(word), word);
    }
}
