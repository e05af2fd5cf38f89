import { test, expect } from "@playwright/test";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// Internal control per district: an administrator, and Alna's district manager, record that Alna
// adopted a routine; the reviewer's matrix of districts × documents shows the change.

const ROUTINE = "Rutiner for samarbeid med krisesenteret i reetableringsfasen, særlig bolig";

test("an administrator records an adopted routine for Alna and the reviewer's matrix shows it", async ({ browser }) => {
  const reviewerContext = await browser.newContext();
  const reviewer = await reviewerContext.newPage();
  await signInAs(reviewer, "kontrollor");
  await reviewer.goto("/kontroll");
  await reviewer.getByRole("link", { name: "Alle bydelers internkontroll" }).click();
  await expect(reviewer.locator("h1")).toHaveText("Internkontroll i bydelene");
  const alna = reviewer.locator("table.control-matrix tr", { has: reviewer.getByRole("rowheader", { name: "Alna", exact: true }) });
  // Nine documents, each stated in words; the counts come first.
  await expect(alna.locator("td.control-cell")).toHaveCount(9);
  const adoptedBefore = Number(await alna.locator("td.num").first().textContent());
  await expectNoAxeViolations(reviewer);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  await admin.goto("/internkontroll/alna");
  await expectHydrated(admin);
  await expect(admin.locator("h1")).toContainText("Internkontroll – Alna");
  await admin.locator("details.editor summary", { hasText: ROUTINE }).click();
  const form = admin.locator("details.editor", { hasText: ROUTINE });
  // A status records a fact: nothing is chosen until someone chooses.
  await expect(form.getByLabel("Status")).toHaveValue("");
  await form.getByLabel("Status").selectOption("adopted");
  await form.getByLabel("Vedtatt dato").fill("2026-01-05");
  await form.getByLabel("Vedtatt av").fill("Bydelsdirektør");
  await form.getByLabel("Lenke til dokumentet").fill("https://bydel-alna.oslo.kommune.no/rutiner/reetablering");
  await form.getByRole("button", { name: "Lagre" }).click();
  await expect(admin.locator("#kvittering")).toContainText("Dokumentets status er lagret.");
  const row = admin.locator("table.stack tr", { has: admin.getByRole("rowheader", { name: ROUTINE }) }).first();
  await expect(row).toContainText("Bydelsdirektør");
  await expect(row).toContainText("05.01.2027");
  await expectNoAxeViolations(admin);
  await adminContext.close();

  await reviewer.reload();
  await expect(alna.locator("td.num").first()).toHaveText(String(adoptedBefore + 1));
  await reviewerContext.close();
});

test("Alna's district manager adopts the violence coordinator's routine with its PDF from the start page; the reviewer's matrix shows it", async ({ browser }) => {
  const routine = "Rutiner for voldskoordinatoren";
  const reviewerContext = await browser.newContext();
  const reviewer = await reviewerContext.newPage();
  await signInAs(reviewer, "kontrollor");
  await reviewer.goto("/internkontroll");
  const alna = reviewer.locator("table.control-matrix tr", { has: reviewer.getByRole("rowheader", { name: "Alna", exact: true }) });
  const adoptedBefore = Number(await alna.locator("td.num").first().textContent());

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signInAs(manager, "leder.alna");
  await manager.goto("/");
  // The start page leads to the district's documents and its deadline figures; no inbox.
  await expect(manager.getByRole("link", { name: "Oppgaver" })).toHaveCount(0);
  await expectNoAxeViolations(manager);
  await manager.getByRole("link", { name: "Bydelens internkontroll: rutiner og avtaler" }).click();
  await expectHydrated(manager);
  await expect(manager.locator("h1")).toContainText("Internkontroll – Alna");
  await manager.locator("details.editor summary", { hasText: routine }).click();
  const form = manager.locator("details.editor", { hasText: routine });
  await expect(form.getByLabel("Status")).toHaveValue("");
  await form.getByLabel("Status").selectOption("adopted");
  await form.getByLabel("Vedtatt dato").fill("2026-02-02");
  await form.getByLabel("Vedtatt av").fill("Bydelsutvalget");
  await form.getByRole("button", { name: "Lagre" }).click();
  await expect(manager.locator("#kvittering")).toContainText("Dokumentets status er lagret.");
  const row = manager.locator("table.stack tr", { has: manager.getByRole("rowheader", { name: routine }) }).first();
  await expect(row).toContainText("Bydelsutvalget");
  await expect(row).toContainText("02.02.2027");
  // With its PDF: the adopted routine as the district keeps it.
  await manager.locator("details.editor summary", { hasText: routine }).click();
  const upload = manager.locator("details.editor", { hasText: routine });
  await upload.getByLabel("PDF-fil").setInputFiles({
    name: "voldskoordinator.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
  });
  await upload.getByRole("button", { name: "Last opp PDF" }).click();
  await expect(manager.locator("#kvittering")).toContainText("PDF-en er lastet opp.");
  const withPdf = manager.locator("table.control-documents tr", { has: manager.getByRole("rowheader", { name: routine }) });
  await expect(withPdf.getByRole("link", { name: /PDF/ })).toHaveAttribute("href", "/internkontroll/alna/dokument/voldskoordinator");
  await expectNoAxeViolations(manager);
  // Alna's deadline figures are theirs too; the other districts' are not.
  await manager.goto("/");
  await manager.getByRole("link", { name: "Bydelens frister" }).click();
  await expect(manager.locator("h1")).toContainText("Alna");
  await expectNoAxeViolations(manager);
  await managerContext.close();

  await reviewer.reload();
  await expect(alna.locator("td.num").first()).toHaveText(String(adoptedBefore + 1));
  await reviewerContext.close();
});

test("an administrator's refused form comes back as typed, with why", async ({ page }) => {
  await signInAs(page, "admin");
  await page.goto("/internkontroll/frogner");
  await expectHydrated(page);
  const name = "Risiko- og sårbarhetsanalyse (ROS) som omfatter krisesentertilbudet";
  await page.locator("details.editor summary", { hasText: name }).click();
  const form = page.locator("details.editor", { hasText: name });
  await form.getByLabel("Status").selectOption("adopted");
  await form.getByLabel("Vedtatt av").fill("Bydelsdirektør");
  await form.getByRole("button", { name: "Lagre" }).click();
  await expect(page.locator("#skjemafeil")).toContainText("vedtaksdatoen");
  const kept = page.locator("details.editor[open]", { hasText: name });
  await expect(kept.getByLabel("Vedtatt av")).toHaveValue("Bydelsdirektør");
  await expect(kept.getByLabel("Vedtatt dato")).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page);
});

test("the internal-control pages have no axe-core violations in English", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: "lang", value: "en", url: "http://127.0.0.1:3100" }]);
  const page = await context.newPage();
  await signInAs(page, "admin");
  for (const path of ["/internkontroll", "/internkontroll/alna"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toContainText("Internal control");
    await expectNoAxeViolations(page);
  }
  await context.close();
});

test("a reviewer records a finding for Alna, Alna's manager plans its closure and uploads the routine as a PDF, NAV Alna finishes its step from the inbox, and the reviewer closes it", async ({ browser }) => {
  const basis = "Krisesenterlova § 4 andre ledd";
  const stepText = "Vedta rutine for å tilby individuell plan";
  const open = async (local: string, path: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, local);
    await page.goto(path);
    return { context, page };
  };

  // The reviewer records the finding.
  const reviewer = await open("kontrollor", "/internkontroll/alna");
  let page = reviewer.page;
  await page.locator("details.editor summary", { hasText: "Registrer et tilsynsfunn" }).click();
  await page.getByLabel("Dato for funnet").fill("2026-01-05");
  await page.getByLabel("Hjemmel").fill(basis);
  await page.getByLabel("Funnet", { exact: true }).fill("Bydelen har ingen rutine for å tilby individuell plan.");
  await page.getByRole("button", { name: "Registrer funnet" }).click();
  await expect(page.locator("#kvittering")).toContainText("Funnet er registrert.");
  const finding = page.locator("article.finding", { hasText: basis });
  await expect(finding).toContainText("Åpent");
  await expect(finding).toContainText("Bydelen har ikke lagt inn tiltak ennå.");
  await expectNoAxeViolations(page);

  // Alna's manager plans a step for NAV (the owner starts empty), and uploads the routine.
  const manager = await open("leder.alna", "/internkontroll/alna");
  page = manager.page;
  let article = page.locator("article.finding", { hasText: basis });
  await article.locator("summary", { hasText: "Legg til et tiltak" }).click();
  await expect(article.getByLabel("Ansvarlig tjeneste")).toHaveValue("");
  await article.getByLabel("Ansvarlig tjeneste").selectOption("nav");
  await article.getByLabel("Tiltak", { exact: true }).fill(stepText);
  await article.getByLabel("Frist", { exact: true }).fill("2027-06-30");
  await article.getByRole("button", { name: "Legg til tiltaket" }).click();
  await expect(page.locator("#kvittering")).toContainText("Tiltaket er lagt til i planen.");
  article = page.locator("article.finding", { hasText: basis });
  await expect(article.locator("table.finding-steps")).toContainText(stepText);
  await expect(article.locator("table.finding-steps")).toContainText("NAV-kontor");

  const routine = "Rutine for å tilby individuell plan (krisesenterlova § 4 andre ledd)";
  await page.locator("details.editor summary", { hasText: routine }).click();
  let doc = page.locator("details.editor", { hasText: routine });
  // Not a PDF: refused, saying why, with the form open again.
  await doc.getByLabel("PDF-fil").setInputFiles({ name: "rutine.txt", mimeType: "text/plain", buffer: Buffer.from("Ikke en PDF") });
  await doc.getByRole("button", { name: "Last opp PDF" }).click();
  await expect(page.locator("#skjemafeil")).toContainText("Velg en PDF-fil på høyst 10 MB");
  doc = page.locator("details.editor[open]", { hasText: routine });
  await expect(doc.getByLabel("PDF-fil")).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page);
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await doc.getByLabel("PDF-fil").setInputFiles({ name: "rutine.pdf", mimeType: "application/pdf", buffer: pdf });
  await doc.getByRole("button", { name: "Last opp PDF" }).click();
  await expect(page.locator("#kvittering")).toContainText("PDF-en er lastet opp.");
  const row = page.locator("table.control-documents tr", { has: page.getByRole("rowheader", { name: routine }) });
  const download = page.waitForEvent("download");
  await row.getByRole("link", { name: /PDF \(1 kB\)/ }).click();
  expect((await download).suggestedFilename()).toBe("alna-individuell-plan.pdf");
  await expectNoAxeViolations(page);

  // NAV Alna sees the step in its inbox and marks it done there.
  const nav = await open("nav.alna", "/oppgaver");
  page = nav.page;
  const steps = page.locator("table.finding-steps");
  await expect(page.getByRole("heading", { name: "Tiltak etter tilsyn" })).toBeVisible();
  await expect(steps).toContainText(stepText);
  await expectNoAxeViolations(page);
  await steps.getByRole("button", { name: new RegExp(`^Merk som utført\\s*:\\s*${stepText}`) }).click();
  await expect(page.locator("#kvittering")).toContainText("Tiltakets status er lagret.");
  await expect(page.getByRole("heading", { name: "Tiltak etter tilsyn" })).toHaveCount(0);
  // NAV reads the routine too: it is its district's.
  const res = await page.request.get("/internkontroll/alna/dokument/individuell-plan");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");

  // The reviewer closes the finding with a date and a note.
  page = reviewer.page;
  await page.reload();
  article = page.locator("article.finding", { hasText: basis });
  await expect(article).toContainText("Utført");
  await article.locator("summary", { hasText: "Lukk funnet" }).click();
  await article.getByLabel("Lukket dato").fill("2026-01-20");
  await article.getByLabel("Merknad ved lukking").fill("Rutinen er vedtatt og tatt i bruk.");
  await article.getByRole("button", { name: "Lukk funnet" }).click();
  await expect(page.locator("#kvittering")).toContainText("Funnet er lukket.");
  await expect(page.locator("article.finding", { hasText: basis })).toContainText("Lukket 20.01.2026");
  await expectNoAxeViolations(page);
  for (const c of [reviewer, manager, nav]) await c.context.close();

  // The same pages in English, with the finding, its plan and the PDF on them: axe clean.
  const english = await browser.newContext();
  await english.addCookies([{ name: "lang", value: "en", url: "http://127.0.0.1:3100" }]);
  page = await english.newPage();
  await signInAs(page, "leder.alna");
  await page.goto("/internkontroll/alna");
  await expect(page.locator("article.finding", { hasText: basis })).toContainText("Closed 2026-01-20");
  await expect(page.getByRole("link", { name: /PDF \(1 kB\)/ })).toHaveCount(2);
  await expectNoAxeViolations(page);
  await english.close();
});
