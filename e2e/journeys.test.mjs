// User journeys in a real headless Chromium against the real binary running the demo.
//   LENTERA_BIN=target/release/lentera node --test e2e/journeys.test.mjs
// Debian's chromium at /usr/bin/chromium (or CHROMIUM); playwright-core and axe-core from npm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = require("axe-core").source;
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");
const bin = resolve(repo, process.env.LENTERA_BIN || "target/debug/lentera");
const shots = join(repo, "docs", "screenshots");
const port = 21000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const password = "lentera-demo-2026";
// The journeys run at a pinned date so that no deadline crosses into a year without its SKB
// as the real date moves; the CLI smoke test runs on the real date.
const today = process.env.LENTERA_E2E_TODAY || "2026-03-02";

let server;
let browser;
let dataDir;

async function waitForHealth() {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("lentera demo did not become healthy");
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "lentera-e2e-"));
  server = spawn(bin, ["demo", "--listen", `127.0.0.1:${port}`, "--data-dir", join(dataDir, "demo")], {
    env: { ...process.env, LENTERA_TODAY: today },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForHealth();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, bypassCSP: true, locale: "id-ID" });
  return context.newPage();
}

/** Runs axe-core and fails on serious or critical violations. */
async function accessible(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `axe on ${name}`);
}

async function shot(page, file) {
  await page.screenshot({ path: join(shots, file), fullPage: true });
}

let receipt = {};

test("a citizen finds a body, submits a request and gets a receipt", async () => {
  const page = await newPage();
  await page.goto(base + "/");
  await accessible(page, "home");
  await shot(page, "home.png");
  await page.getByRole("link", { name: "Pemerintah Kabupaten Banyumas" }).click();
  await assert.doesNotReject(page.getByRole("heading", { name: "Pemerintah Kabupaten Banyumas" }).waitFor());
  await accessible(page, "body page");
  await shot(page, "body.png");
  await page.getByRole("link", { name: "Ajukan permohonan informasi" }).click();
  await accessible(page, "request form");

  // First a mistake: the form comes back with the error beside the field and nothing lost.
  await page.getByLabel("Nama lengkap").fill("Siti Aminah");
  await page.getByLabel("NIK (16 angka)").fill("12345");
  await page.getByRole("button", { name: "Kirim permohonan" }).click();
  await assert.doesNotReject(page.getByText("NIK harus 16 angka.").first().waitFor());
  assert.equal(await page.getByLabel("Nama lengkap").inputValue(), "Siti Aminah");
  await accessible(page, "request form with errors");
  await shot(page, "form-errors.png");

  await page.getByLabel("NIK (16 angka)").fill("3302015708900007");
  await page.getByLabel(/^Alamat/).fill("Jl. Jenderal Soedirman 1, Purwokerto");
  await page.getByLabel("Pekerjaan").fill("Wartawan");
  await page.getByLabel("Surel").fill("siti@contoh.id");
  await page.getByLabel("Rincian informasi yang dibutuhkan").fill("Salinan DPA Dinas Pendidikan tahun anggaran 2026");
  await page.getByLabel("Tujuan penggunaan informasi").fill("Bahan liputan");
  await page.getByRole("button", { name: "Kirim permohonan" }).click();
  await page.locator("#receipt-number").waitFor();
  receipt.number = (await page.locator("#receipt-number").textContent()).trim();
  receipt.code = (await page.locator("#receipt-code").textContent()).trim();
  assert.match(receipt.number, /^\d{4}-PPID-KAB-BANYUMAS-\d{2}-\d{4}$/);
  assert.match(receipt.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await accessible(page, "receipt");
  await shot(page, "receipt.png");
  // The receipt fits one A4 page when printed.
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, "receipt prints on one A4 page");
});

test("the citizen tracks the request on a phone", async () => {
  const page = await newPage({ width: 360, height: 740 });
  await page.goto(base + "/lacak");
  await page.getByLabel("Nomor pendaftaran").fill(receipt.number);
  await page.getByLabel("Kode pelacakan").fill(receipt.code);
  await page.getByRole("button", { name: "Lacak", exact: true }).click();
  await page.locator("#track-status").waitFor();
  assert.match(await page.locator("#track-status").textContent(), /Diterima/);
  // No horizontal scrolling on a 360 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await accessible(page, "tracking");
  await shot(page, "track-phone.png");
});

test("an officer signs in, extends and decides; the citizen sees the decision", async () => {
  const page = await newPage();
  await page.goto(base + "/kantor");
  await page.getByLabel("Surel").fill("ppid@banyumas.demo");
  await page.getByLabel("Kata sandi").fill(password);
  await accessible(page, "sign-in");
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await page.getByRole("heading", { name: "Antrean kerja" }).waitFor();
  await accessible(page, "queue");
  await shot(page, "queue.png");

  await page.goto(`${base}/kantor/permohonan/${receipt.number}`);
  await accessible(page, "case");
  await shot(page, "case.png");
  await page.getByLabel("Alasan perpanjangan (tertulis)").fill("Informasi masih dihimpun dari Dinas Pendidikan");
  await page.getByRole("button", { name: "Perpanjang 7 hari kerja…" }).click();
  await page.getByRole("heading", { name: "Konfirmasi tindakan" }).waitFor();
  await assert.doesNotReject(page.getByText("Tenggat setelah perpanjangan").waitFor());
  await accessible(page, "confirmation");
  await page.getByRole("button", { name: "Ya, lakukan" }).click();
  await page.locator("#case-status").waitFor();
  assert.match(await page.locator("#case-status").textContent(), /Diperpanjang/);

  await page.getByLabel("Keputusan", { exact: true }).selectOption("granted");
  await page.getByLabel("Alasan keputusan (butir c)").fill("Salinan DPA terlampir dalam bentuk PDF.");
  await page.getByRole("button", { name: "Terbitkan pemberitahuan tertulis…" }).click();
  await page.getByRole("button", { name: "Ya, lakukan" }).click();
  await page.locator("#case-status").waitFor();
  assert.match(await page.locator("#case-status").textContent(), /Diputus/);

  const citizen = await newPage();
  await citizen.goto(base + "/lacak");
  await citizen.getByLabel("Nomor pendaftaran").fill(receipt.number);
  await citizen.getByLabel("Kode pelacakan").fill(receipt.code);
  await citizen.getByRole("button", { name: "Lacak", exact: true }).click();
  await citizen.locator("#track-outcome").waitFor();
  assert.match(await citizen.locator("#track-outcome").textContent(), /Dikabulkan seluruhnya/);
  assert.match(await citizen.locator("#track-due").textContent(), /diperpanjang/);
  // The written notice as a letter, issued in the background within seconds.
  for (let i = 0; i < 40 && !(await citizen.locator("a:has-text('Pemberitahuan tertulis')").count()); i++) {
    await new Promise((r) => setTimeout(r, 250));
    await citizen.reload();
  }
  const letter = citizen.locator("a:has-text('Pemberitahuan tertulis')").first();
  const pdf = await (await fetch(base + (await letter.getAttribute("href")))).arrayBuffer();
  assert.ok(Buffer.from(pdf).subarray(0, 5).toString() === "%PDF-", "the notice letter downloads as a PDF");
  // Without an SMTP server the demo writes each mail as an .eml file: the requester's mails
  // for this request arrived, the notice with its letter attached.
  const mailDir = join(dataDir, "demo", "mail");
  let mails = [];
  for (let i = 0; i < 40; i++) {
    mails = readdirSync(mailDir).map((f) => readFileSync(join(mailDir, f), "utf8")).filter((m) => m.includes(receipt.number));
    if (mails.some((m) => /Pemberitahuan tertulis/.test(m) && m.includes("application/pdf"))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(mails.some((m) => /siti@contoh\.id/.test(m)), "the mails go to the requester");
  assert.ok(mails.some((m) => /Pemberitahuan tertulis/.test(m) && m.includes("application/pdf")), "the notice mail carries its letter");
  await accessible(citizen, "tracking with decision");
  await shot(citizen, "track-decided.png");
});

test("the pages work with the keyboard alone", async () => {
  const page = await newPage();
  await page.goto(base + "/");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(first, "Langsung ke isi", "the skip link comes first");
  await page.keyboard.press("Enter");
  const hash = await page.evaluate(() => location.hash);
  assert.equal(hash, "#main");
});

test("administration pages are accessible", async () => {
  const page = await newPage();
  await page.goto(base + "/kantor/masuk");
  await page.getByLabel("Surel").fill("admin@lentera.demo");
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await page.getByRole("heading", { name: "Antrean kerja" }).waitFor();
  await page.goto(base + "/kantor/admin");
  await accessible(page, "admin");
  await shot(page, "admin.png");
  await page.goto(base + "/kantor/admin/badan/kab-banyumas");
  await accessible(page, "admin body");
  await page.goto(base + "/b/kab-banyumas/register");
  await accessible(page, "public register");
  await shot(page, "register.png");
});

/** The pinned day as YYYY-MM-DD, or a day `daysBack` days before it. */
function wibDate(daysBack = 0) {
  return new Date(Date.parse(today + "T00:00:00Z") - daysBack * 86400 * 1000).toISOString().slice(0, 10);
}

async function signIn(email, at = base, viewport = undefined) {
  const page = await newPage(viewport);
  await page.goto(at + "/kantor/masuk");
  await page.getByLabel("Surel").fill(email);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await page.getByRole("heading", { name: "Antrean kerja" }).waitFor();
  return page;
}

/** An officer enters a request received `daysBack` days ago; returns its number and code. */
async function walkIn(officer, daysBack, at = base, received = wibDate(daysBack)) {
  await officer.goto(at + "/kantor/permohonan-baru");
  await officer.getByLabel("Nama lengkap").fill("Budi Santoso");
  await officer.getByLabel("NIK (16 angka)").fill("3302011203850004");
  await officer.getByLabel(/^Alamat/).fill("Jl. Gatot Subroto 5, Purwokerto");
  await officer.getByLabel("Pekerjaan").fill("Petani");
  await officer.getByLabel("Nomor telepon").fill("081234567890");
  await officer.getByLabel("Rincian informasi yang dibutuhkan").fill("Daftar penerima pupuk bersubsidi per desa 2026");
  await officer.getByLabel("Tujuan penggunaan informasi").fill("Pengawasan distribusi");
  await officer.getByLabel("Tanggal permohonan diterima").fill(received);
  await officer.getByRole("button", { name: "Kirim permohonan" }).click();
  await officer.locator("#receipt-number").waitFor();
  return {
    number: (await officer.locator("#receipt-number").textContent()).trim(),
    code: (await officer.locator("#receipt-code").textContent()).trim(),
  };
}

async function trackAs(page, r, at = base) {
  await page.goto(at + "/lacak");
  await page.getByLabel("Nomor pendaftaran").fill(r.number);
  await page.getByLabel("Kode pelacakan").fill(r.code);
  await page.getByRole("button", { name: "Lacak", exact: true }).click();
  await page.locator("#track-status").waitFor();
}

test("an ignored request: objection, upheld, answered", async () => {
  const ppid = await signIn("ppid@banyumas.demo");
  const r = await walkIn(ppid, 40);
  const citizen = await newPage();
  await trackAs(citizen, r);
  assert.match(await citizen.locator("#track-status").textContent(), /melewati tenggat/);
  // Only the grounds that fit an ignored request are offered.
  const offered = await citizen.locator('input[name="grounds"]').evaluateAll((xs) => xs.map((x) => x.value));
  assert.deepEqual(offered, ["b", "c", "g"]);
  await citizen.getByLabel(/c\. Tidak ditanggapinya/).check();
  await citizen.getByLabel("Kasus posisi").fill("Permohonan saya tidak dijawab dalam 10 hari kerja.");
  await citizen.getByRole("button", { name: "Ajukan keberatan" }).click();
  await citizen.getByText(/Keberatan KEB-\d{4}-KAB-BANYUMAS-\d{4} diterima/).waitFor();
  await accessible(citizen, "tracking with objection");
  await shot(citizen, "objection-filed.png");

  const atasan = await signIn("atasan@banyumas.demo");
  await assert.doesNotReject(atasan.getByRole("heading", { name: "Keberatan menunggu tanggapan" }).waitFor());
  // The objection workspace: from the menu to the queue, the case, a confirmed answer.
  await atasan.getByRole("navigation", { name: "Navigasi utama" }).getByRole("link", { name: "Keberatan" }).click();
  await atasan.locator("#objection-queue").waitFor();
  await accessible(atasan, "objection queue");
  await shot(atasan, "objection-queue.png");
  const row = atasan.locator("#objection-queue li", { hasText: r.number });
  await row.locator('a[href^="/kantor/keberatan/"]').click();
  await atasan.locator("#objection-reason").waitFor();
  assert.match(await atasan.locator("#objection-reason").textContent(), /tidak dijawab dalam 10 hari kerja/);
  assert.match(await atasan.locator("#objection-grounds").textContent(), /c\. Tidak ditanggapinya permintaan informasi/);
  await accessible(atasan, "objection case");
  await shot(atasan, "objection-case.png");
  await atasan.getByLabel("Keputusan atas keberatan").selectOption("upheld");
  await atasan.getByLabel("Tanggapan tertulis dan alasannya").fill("PPID wajib menjawab dalam 10 hari kerja.");
  await atasan.getByRole("button", { name: "Periksa tanggapan" }).click();
  await atasan.locator("#confirm-effect").waitFor();
  assert.match(await atasan.locator("#confirm-effect").textContent(), /dibuka kembali/);
  await accessible(atasan, "objection answer confirmation");
  await atasan.getByRole("button", { name: "Ya, tetapkan tanggapan" }).click();
  await atasan.locator("#objection-status").waitFor();
  assert.match(await atasan.locator("#objection-status").textContent(), /Dikabulkan/);
  // The same pages on a phone: nothing wider than the screen.
  const phone = await signIn("atasan@banyumas.demo", base, { width: 360, height: 800 });
  for (const [path, file] of [["/kantor/keberatan?semua=1", "objection-queue-360.png"], [new URL(atasan.url()).pathname, "objection-case-360.png"]]) {
    await phone.goto(base + path);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than a 360px phone`);
    await shot(phone, file);
  }
  await atasan.goto(`${base}/kantor/permohonan/${r.number}`);
  assert.match(await atasan.locator("#case-status").textContent(), /Diproses/, "the request is reopened");
  await accessible(atasan, "case with objection");

  await ppid.goto(`${base}/kantor/permohonan/${r.number}`);
  await ppid.getByLabel("Keputusan", { exact: true }).selectOption("granted");
  await ppid.getByLabel("Alasan keputusan (butir c)").fill("Daftar penerima terlampir.");
  await ppid.getByRole("button", { name: "Terbitkan pemberitahuan tertulis…" }).click();
  await ppid.getByRole("button", { name: "Ya, lakukan" }).click();
  await ppid.locator("#case-status").waitFor();
  assert.match(await ppid.locator("#case-status").textContent(), /Diputus/);

  await trackAs(citizen, r);
  assert.match(await citizen.locator("#track-outcome").textContent(), /Dikabulkan seluruhnya/);
  assert.match(await citizen.locator('[data-objection-status]').first().textContent(), /Dikabulkan/);
});

test("a refusal: objection dismissed, dispute, mediation, ruling, complied", async () => {
  const ppid = await signIn("ppid@banyumas.demo");
  const r = await walkIn(ppid, 20);
  await ppid.goto(`${base}/kantor/permohonan/${r.number}`);
  await ppid.getByLabel("Keputusan", { exact: true }).selectOption("rejected_exempt");
  await ppid.getByLabel(/17h —/).check();
  // A refusal on Pasal 17 cites the decided consequence test that covers 17h.
  const tests = ppid.getByLabel("Uji konsekuensi yang menjadi dasar");
  const cited = await tests.locator("option").evaluateAll((os) => os.find((o) => o.textContent.includes("(17h)"))?.value);
  assert.ok(cited, "no consequence test in force for 17h");
  await tests.selectOption(cited);
  await ppid.getByLabel("Alasan keputusan (butir c)").fill("Memuat data pribadi penerima.");
  await ppid.getByRole("button", { name: "Terbitkan pemberitahuan tertulis…" }).click();
  await ppid.getByRole("button", { name: "Ya, lakukan" }).click();
  await ppid.locator("#case-status").waitFor();

  const citizen = await newPage();
  await trackAs(citizen, r);
  const offered = await citizen.locator('input[name="grounds"]').evaluateAll((xs) => xs.map((x) => x.value));
  assert.ok(offered.includes("a") && !offered.includes("c"), `offered ${offered}`);
  await citizen.getByLabel(/a\. Penolakan/).check();
  await citizen.getByLabel("Kasus posisi").fill("Data agregat per desa bukan data pribadi.");
  await citizen.getByRole("button", { name: "Ajukan keberatan" }).click();
  await citizen.getByText(/diterima\. Tanggapan atasan PPID paling lambat/).waitFor();

  const atasan = await signIn("atasan@banyumas.demo");
  await atasan.goto(`${base}/kantor/permohonan/${r.number}`);
  await atasan.getByLabel("Keputusan atas keberatan").selectOption("dismissed");
  await atasan.getByLabel("Tanggapan tertulis dan alasannya").fill("Penolakan sudah tepat.");
  await atasan.getByRole("button", { name: "Periksa tanggapan" }).click();
  await atasan.getByRole("button", { name: "Ya, tetapkan tanggapan" }).click();
  await atasan.locator("#objection-status").waitFor();
  assert.match(await atasan.locator("#objection-status").textContent(), /Ditolak/);

  await ppid.goto(`${base}/kantor/permohonan/${r.number}`);
  await ppid.getByLabel("Tanggal permohonan ke KI").fill(today);
  await ppid.getByLabel("Komisi Informasi", { exact: true }).fill("Komisi Informasi Provinsi Jawa Tengah");
  await ppid.getByRole("button", { name: "Catat sengketa" }).click();
  await ppid.getByText("KI mulai paling lambat (14 HK)").waitFor();
  const steps = [
    { step: "registered", fill: { "Nomor registrasi KI": "021/REG-PSI/KIP-JTG/2026" } },
    { step: "session", select: { "Jenis sidang": "mediation" }, fill: { "Catatan / ringkasan": "Mediasi pertama" } },
    { step: "mediation_failed" },
    { step: "session", select: { "Jenis sidang": "adjudication" }, fill: { "Catatan / ringkasan": "Sidang ajudikasi" } },
    { step: "ruled", select: { "Putusan": "granted" }, fill: { "Nomor putusan": "021/PTS-A/KIP-JTG/2026" } },
    { step: "final" },
    { step: "complied", fill: { "Bukti pelaksanaan": "Informasi diserahkan kepada pemohon" } },
  ];
  for (const s of steps) {
    await ppid.getByLabel("Tahap", { exact: true }).selectOption(s.step);
    await ppid.getByLabel("Tanggal", { exact: true }).fill(today);
    for (const [label, value] of Object.entries(s.select || {})) await ppid.getByLabel(label, { exact: true }).selectOption(value);
    for (const [label, value] of Object.entries(s.fill || {})) await ppid.getByLabel(label, { exact: true }).fill(value);
    await ppid.getByRole("button", { name: "Catat tahap" }).click();
    await ppid.locator("#case-status").waitFor();
  }
  await ppid.getByText("Sengketa informasi: Putusan dilaksanakan").waitFor();
  // One timeline for the whole chain, in order.
  const timeline = await ppid.locator("#case-timeline").textContent();
  const order = ["Permohonan diterima", "Pemberitahuan tertulis diterbitkan", "Keberatan diajukan", "Tanggapan atasan PPID",
    "Permohonan penyelesaian sengketa ke KI", "Mediasi gagal", "Putusan Komisi Informasi", "Putusan dilaksanakan"];
  let at = -1;
  for (const label of order) {
    const i = timeline.indexOf(label, at + 1);
    assert.ok(i > at, `${label} missing or out of order in the case timeline`);
    at = i;
  }
  await accessible(ppid, "case with dispute");
  await shot(ppid, "dispute.png");
  const pdf = await ppid.request.get(`${base}/kantor/keberatan/${await ppid.locator(".objection .mono").first().textContent()}/berkas.pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()["content-type"], "application/pdf");
  assert.ok((await pdf.body()).subarray(0, 7).toString() === "%PDF-1.");
});

test("the register: a citizen finds published information, an officer publishes an answer", async () => {
  const citizen = await newPage({ width: 360, height: 780 });
  await citizen.goto(`${base}/b/jateng/dip`);
  await citizen.getByRole("heading", { name: /Informasi berkala/ }).first().waitFor();
  await accessible(citizen, "DIP");
  await shot(citizen, "dip-phone.png");
  await citizen.goto(`${base}/b/jateng/dik`);
  await accessible(citizen, "DIK");

  // Indonesian search: the stem of "penganggaran" meets "anggaran"; snippets are highlighted.
  await citizen.goto(`${base}/cari?q=${encodeURIComponent("realisasi anggaran")}`);
  await citizen.locator("mark").first().waitFor();
  await accessible(citizen, "search");
  await shot(citizen, "search-phone.png");

  // While a request is typed, information already published is offered.
  await citizen.goto(`${base}/b/jateng/permohonan`);
  await citizen.getByLabel("Rincian informasi yang dibutuhkan").pressSequentially("laporan realisasi anggaran", { delay: 20 });
  await citizen.locator("#saran a").first().waitFor({ timeout: 10000 });

  // An officer publishes a granted answer; a phone number in the text must be confirmed first.
  const ppid = await signIn("ppid@kendal.demo");
  const r = await walkIn(ppid, 0);
  await ppid.goto(`${base}/kantor/permohonan/${r.number}`);
  await ppid.getByLabel("Keputusan", { exact: true }).selectOption("granted");
  await ppid.getByLabel("Alasan keputusan (butir c)").fill("Daftar penerima terlampir.");
  await ppid.getByRole("button", { name: "Terbitkan pemberitahuan tertulis…" }).click();
  await ppid.getByRole("button", { name: "Ya, lakukan" }).click();
  await ppid.locator("#case-status").waitFor();
  await ppid.goto(`${base}/kantor/permohonan/${r.number}/publikasi`);
  await ppid.getByLabel("Isi jawaban").fill("Daftar penerima pupuk bersubsidi per desa. Pengaduan: 0812 3456 7890.");
  await ppid.getByRole("button", { name: "Publikasikan" }).click();
  await ppid.locator("#findings").waitFor();
  assert.match(await ppid.locator("#findings").textContent(), /Nomor telepon/);
  await accessible(ppid, "publication blocked by personal data");
  await ppid.getByLabel("Saya pastikan ini informasi publik").first().check();
  await ppid.getByRole("button", { name: "Publikasikan" }).click();
  await ppid.waitForURL(/\/jawaban\//);

  await citizen.goto(`${base}/cari?q=${encodeURIComponent(r.number)}`);
  await citizen.getByRole("link", { name: /pupuk bersubsidi/i }).first().waitFor();
});

test("the annual report on a phone: chapters, tables that scroll, downloads, roll-up", async () => {
  const page = await newPage({ width: 360, height: 780 });
  await page.goto(base + "/b/kab-banyumas/laporan");
  await page.getByRole("heading", { name: "LAPORAN LAYANAN INFORMASI PUBLIK" }).waitFor();
  assert.match(await page.locator("#bab-iii").textContent(), /Tabel 3\.1a/);
  assert.match(await page.locator(".report-check").textContent(), /cocok/);
  // Wide tables scroll inside their frame; the page itself never scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await accessible(page, "annual report");
  await shot(page, "report-phone.png");
  const pdf = await page.request.get(base + (await page.locator("#dl-pdf").getAttribute("href")));
  assert.equal(pdf.headers()["content-type"], "application/pdf");
  // The province's roll-up lists the regencies below it.
  await page.goto(base + "/b/jateng/laporan?rollup=1");
  assert.match(await page.locator(".report-body").textContent(), /badan publik di bawahnya/);
  await page.locator("#tabel-3\\.0").waitFor();
  await accessible(page, "annual report roll-up");
});

/** A second demo pinned at `day`, on its own port and data folder; returns its base URL. */
async function startDemo(day) {
  const p = 41000 + Math.floor(Math.random() * 20000);
  const at = `http://127.0.0.1:${p}`;
  const proc = spawn(bin, ["demo", "--listen", `127.0.0.1:${p}`, "--data-dir", join(dataDir, `demo-${day}`)], {
    env: { ...process.env, LENTERA_TODAY: day },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${at}/api/v1/health`)).ok) return { at, proc };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error("second demo did not become healthy");
}

test("a year loaded while serving: provisional dates become exact and say so", async () => {
  // Friday 18 December 2026: ten working days run into 2027, whose SKB is not loaded.
  const { at, proc } = await startDemo("2026-12-18");
  try {
    const ppid = await signIn("ppid@banyumas.demo", at);
    // From 1 October the PPID is told that next year's SKB is missing.
    assert.match(await ppid.locator("#calendar-warning").textContent(), /2027/);
    const r = await walkIn(ppid, 0, at, "2026-12-18");
    assert.match(await ppid.locator("#receipt-due-line").textContent(), /sementara/);
    await ppid.goto(at + "/kantor");
    await ppid.locator(".badge.warn", { hasText: "sementara" }).first().waitFor();
    await accessible(ppid, "queue with provisional dates");
    await shot(ppid, "queue-provisional.png");

    const citizen = await newPage({ width: 360, height: 780 });
    await trackAs(citizen, r, at);
    const before = await citizen.locator("#track-due").textContent();
    assert.match(before, /sementara/);
    assert.match(before, /dapat bergeser setelah SKB hari libur tahun 2027 dimuat/);
    await accessible(citizen, "tracking with a provisional date");
    await shot(citizen, "track-provisional-phone.png");

    // The admin follows the warning to the calendar page; a bad file is refused line by line.
    const admin = await signIn("admin@lentera.demo", at);
    await admin.locator("#calendar-warning a").click();
    await admin.getByRole("heading", { name: "Kalender hari libur nasional" }).waitFor();
    await admin.locator("#cal-text").fill("date,kind,name,legal_basis\n2027-02-30,national_holiday,Mustahil,SKB\n2027-03-01,libur_daerah,Asing,SKB\n");
    await admin.locator("#calendar-preview-button").click();
    assert.equal(await admin.locator("#calendar-problems li").count(), 2);
    await accessible(admin, "calendar page with a refused file");

    // The real file is uploaded, previewed (the open case moves), then loaded.
    await admin.locator("#cal-file").setInputFiles(join(repo, ".ci", "fixtures", "ID-2027-uji.csv"));
    await admin.getByRole("button", { name: "Unggah dan pratinjau" }).click();
    await admin.locator("#calendar-preview").waitFor();
    assert.match(await admin.locator("#calendar-moves").textContent(), new RegExp(r.number));
    await accessible(admin, "calendar preview");
    await shot(admin, "calendar-preview.png");
    const phone = await signIn("admin@lentera.demo", at, { width: 360, height: 780 });
    await phone.goto(at + "/kantor/admin/kalender");
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `calendar page is ${overflow}px wider than the phone`);
    await shot(phone, "calendar-phone.png");
    await admin.locator("#calendar-load").click();
    assert.match(await admin.locator('.ok[role="status"]').textContent(), /dimuat/);
    await admin.goto(at + "/kantor/admin/kalender");
    assert.equal(await admin.locator("#calendar-warning").count(), 0, "the warning ends once 2027 is loaded");
    assert.match(await admin.locator("#calendar-years").textContent(), /2027/);

    await trackAs(citizen, r, at);
    const after = await citizen.locator("#track-due").textContent();
    assert.doesNotMatch(after, /sementara/);
    assert.notEqual(after, before);
    assert.match(await citizen.content(), /Tenggat dihitung ulang/);
    await shot(citizen, "track-recomputed-phone.png");
  } finally {
    proc.kill();
  }
});

/** RFC 6238 code of a base32 secret at `unixSeconds` (HMAC-SHA1, 30 s, 6 digits). */
function totp(base32, unixSeconds) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

test("an officer turns on two-step sign-in and signs in with a code; an admin hands over a reset link", async () => {
  const email = "atasan@jateng.demo";
  const page = await signIn(email);
  await page.getByRole("link", { name: "Akun saya" }).click();
  await page.getByRole("heading", { name: "Akun saya" }).waitFor();
  await accessible(page, "account");
  await page.getByRole("link", { name: "Aktifkan verifikasi dua langkah" }).click();
  await page.locator("#totp-secret").waitFor();
  assert.equal(await page.locator("figure.qr svg").count(), 1, "QR code shown");
  await accessible(page, "enrolment");
  await shot(page, "account-enrol.png");
  const secret = (await page.locator("#totp-secret").textContent()).trim();
  assert.match(secret, /^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
  // The one read of the real clock in the journeys, on purpose: a code is checked against the
  // server's wall clock (an officer's phone keeps real time; LENTERA_TODAY pins only the legal
  // day), so the test computes it from the same clock. Only the time of day within a 30-second
  // step matters, never the date, so the journey cannot break as the calendar moves.
  await page.getByLabel("Kode 6 angka dari aplikasi").fill(totp(secret, Date.now() / 1000));
  await page.getByRole("button", { name: "Aktifkan" }).click();
  await page.locator("#recovery-codes").waitFor();
  const codes = (await page.locator("#recovery-codes li").allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await accessible(page, "recovery codes");
  await shot(page, "account-recovery-codes.png");

  // Next time the password alone is not enough: the second step asks for the code. The
  // enrolment spent this step's code, so the next step's (accepted one step ahead) is typed.
  const again = await newPage();
  await again.goto(base + "/kantor/masuk");
  await again.getByLabel("Surel").fill(email);
  await again.getByLabel("Kata sandi").fill(password);
  await again.getByRole("button", { name: "Masuk", exact: true }).click();
  await again.getByRole("heading", { name: "Kode verifikasi" }).waitFor();
  await again.goto(base + "/kantor");
  assert.match(again.url(), /\/kantor\/masuk$/, "the pending sign-in opens nothing");
  await again.goto(base + "/kantor/masuk/kode");
  await accessible(again, "code step");
  await shot(again, "login-code.png");
  await again.getByLabel("Kode dari aplikasi atau kode pemulihan").fill("000000");
  await again.getByRole("button", { name: "Masuk", exact: true }).click();
  await assert.doesNotReject(again.getByText("Kode salah").waitFor());
  await again.getByLabel("Kode dari aplikasi atau kode pemulihan").fill(totp(secret, Date.now() / 1000 + 30));
  await again.getByRole("button", { name: "Masuk", exact: true }).click();
  await again.getByRole("heading", { name: "Antrean kerja" }).waitFor();

  // On a phone, with a recovery code; the account page lists the sessions.
  const phone = await newPage({ width: 360, height: 780 });
  await phone.goto(base + "/kantor/masuk");
  await phone.getByLabel("Surel").fill(email);
  await phone.getByLabel("Kata sandi").fill(password);
  await phone.getByRole("button", { name: "Masuk", exact: true }).click();
  await phone.getByRole("heading", { name: "Kode verifikasi" }).waitFor();
  await shot(phone, "login-code-phone.png");
  await phone.getByLabel("Kode dari aplikasi atau kode pemulihan").fill(codes[0]);
  await phone.getByRole("button", { name: "Masuk", exact: true }).click();
  await phone.getByRole("heading", { name: "Antrean kerja" }).waitFor();
  await phone.goto(base + "/kantor/akun");
  assert.equal((await phone.locator("#recovery-left").textContent()).trim(), "9");
  assert.ok((await phone.locator("#session-list li").count()) >= 3);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `account page is ${overflow}px wider than the phone`);
  await accessible(phone, "account on a phone");
  await shot(phone, "account-phone.png");
  await again.goto(base + "/kantor/akun");
  await shot(again, "account.png");
  await phone.getByRole("button", { name: "Akhiri semua sesi lain" }).click();
  await phone.getByText(/Sesi lain yang diakhiri: 2/).waitFor();
  await again.goto(base + "/kantor");
  assert.match(again.url(), /\/kantor\/masuk$/, "the other sessions ended");

  // An admin makes a one-time reset link; the officer sets a new password with it.
  const admin = await signIn("admin@lentera.demo");
  await admin.goto(base + "/kantor/admin");
  await shot(admin, "admin-officers.png");
  const row = admin.locator("tr", { hasText: email });
  await row.getByRole("button", { name: /Tautan setel ulang sandi/ }).click();
  await admin.locator("#reset-link").waitFor();
  await accessible(admin, "reset link");
  await shot(admin, "admin-reset-link.png");
  const link = (await admin.locator("#reset-link").textContent()).trim();
  const officer = await newPage({ width: 360, height: 780 });
  await officer.goto(link);
  await officer.getByLabel(/^Kata sandi baru/).fill("password2026");
  await officer.getByLabel("Ulangi kata sandi baru").fill("password2026");
  await officer.getByRole("button", { name: "Simpan kata sandi" }).click();
  await assert.doesNotReject(officer.getByText("terlalu umum").waitFor());
  await accessible(officer, "reset page");
  await shot(officer, "password-reset-phone.png");
  await officer.getByLabel(/^Kata sandi baru/).fill("Lampu minyak di beranda");
  await officer.getByLabel("Ulangi kata sandi baru").fill("Lampu minyak di beranda");
  await officer.getByRole("button", { name: "Simpan kata sandi" }).click();
  await officer.getByText("Kata sandi baru tersimpan").waitFor();
  await phone.goto(base + "/kantor");
  assert.match(phone.url(), /\/kantor\/masuk$/, "the reset ended the officer's sessions");
  await admin.goto(base + "/kantor/admin/audit");
  const log = await admin.content();
  for (const words of ["Verifikasi dua langkah diaktifkan", "Masuk dengan kode pemulihan", "Tautan setel ulang kata sandi dibuat", "Kata sandi disetel ulang lewat tautan"]) {
    assert.match(log, new RegExp(words), words);
  }
  assert.doesNotMatch(log, />totp\.|>password\./, "no raw codes");
  await shot(admin, "audit-accounts.png");
});
