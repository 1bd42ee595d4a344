use super::*;

fn sample() -> Letter {
    Letter {
        letterhead: Letterhead {
            authority: "PEMERINTAH KABUPATEN CONTOH".into(),
            name: "PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI".into(),
            address: "Jl. Merdeka No. 1, Contoh 53100".into(),
            contacts: "Telp. (0281) 123456 · ppid@contoh.go.id · ppid.contoh.go.id".into(),
        },
        title: "PEMBERITAHUAN TERTULIS".into(),
        number: "7/KAB-A/PPID/II/2026".into(),
        place_date: "Contoh, 10 Februari 2026".into(),
        subject: "Jawaban atas permintaan informasi publik".into(),
        addressee: vec!["Yth. Siti Aminah".into(), "Jl. Pemuda 1".into()],
        opening:
            "Berdasarkan permintaan informasi publik nomor 0003-PPID-KAB-A-02-2026, kami sampaikan:"
                .into(),
        facts: vec![("Nomor pendaftaran".into(), "0003-PPID-KAB-A-02-2026".into())],
        items: vec![LetterItem {
            label: "a".into(),
            heading: "Penguasaan informasi".into(),
            lines: vec!["Informasi yang Anda minta berada di bawah penguasaan kami.".into()],
        }],
        paragraphs: vec!["#set text(red) $x$ *tebal* <label> [kurung]".into()],
        closing: "Demikian pemberitahuan ini kami sampaikan.".into(),
        signatory: Signatory {
            position: "PPID Kabupaten Contoh".into(),
            name: "Budi Santoso, S.Kom.".into(),
            nip: "198001012005011001".into(),
        },
        verify_url: "https://ppid.contoh.go.id/verifikasi/ABCD-EFGH-JKMN".into(),
        verify_note: "Periksa keaslian surat ini di:".into(),
        logo: None,
    }
}

/// Runs a poppler tool on the PDF (CI installs poppler-utils).
fn poppler(tool: &str, args: &[&str], pdf: &[u8], out_suffix: Option<&str>) -> Vec<u8> {
    // One folder per call: tests run in parallel and each removes its folder at the end.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("lentera-letter-{}-{tool}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let input = dir.join("in.pdf");
    std::fs::write(&input, pdf).expect("write");
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args).arg(&input);
    let out = match out_suffix {
        Some(_) => {
            cmd.arg(dir.join("page"));
            let o = cmd
                .output()
                .expect("poppler-utils (apt-get install poppler-utils)");
            assert!(o.status.success(), "{tool} failed");
            std::fs::read(dir.join(format!("page{}", out_suffix.unwrap_or_default())))
                .expect("rendered page")
        }
        None => {
            if tool == "pdftotext" {
                cmd.arg("-");
            }
            let o = cmd
                .output()
                .expect("poppler-utils (apt-get install poppler-utils)");
            assert!(o.status.success(), "{tool} failed");
            o.stdout
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn a_letter_prints_its_text_literally_with_fonts_embedded() {
    let pdf = letter_to_pdf(&sample()).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&poppler("pdftotext", &["-enc", "UTF-8"], &pdf, None))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        "PEMERINTAH KABUPATEN CONTOH",
        "PEMBERITAHUAN TERTULIS",
        "Nomor: 7/KAB-A/PPID/II/2026",
        "Yth. Siti Aminah",
        "Penguasaan informasi",
        "#set text(red) $x$ *tebal* <label> [kurung]",
        "Budi Santoso, S.Kom.",
        "NIP. 198001012005011001",
        "https://ppid.contoh.go.id/verifikasi/ABCD-EFGH-JKMN",
    ] {
        assert!(text.contains(needle), "{needle} missing from: {text}");
    }
    let fonts = String::from_utf8_lossy(&poppler("pdffonts", &[], &pdf, None)).into_owned();
    assert!(fonts.contains("NotoSans"), "{fonts}");
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "a font not embedded: {fonts}"
    );
}

#[test]
fn the_qr_code_holds_the_verification_address() {
    let letter = sample();
    let pdf = letter_to_pdf(&letter).expect("pdf");
    let png = poppler(
        "pdftoppm",
        &["-png", "-r", "150", "-gray", "-singlefile"],
        &pdf,
        Some(".png"),
    );
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("png");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.line_size / w;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        buf[y * info.line_size + x * channels]
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().expect("decodes");
    assert_eq!(content, letter.verify_url);
}

#[test]
fn an_unreadable_logo_costs_the_logo_not_the_letter() {
    let mut letter = sample();
    letter.logo = Some(b"not an image at all".to_vec());
    let pdf = letter_to_pdf(&letter).expect("pdf without the logo");
    let text = String::from_utf8_lossy(&poppler("pdftotext", &[], &pdf, None)).into_owned();
    assert!(text.contains("PEMBERITAHUAN TERTULIS"));
}
