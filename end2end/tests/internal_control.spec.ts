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
  await expect(row).toContainText("2027-01-05");
  await expectNoAxeViolations(admin);
  await adminContext.close();

  await reviewer.reload();
  await expect(alna.locator("td.num").first()).toHaveText(String(adoptedBefore + 1));
  await reviewerContext.close();
});

test("Alna's district manager adopts the violence coordinator's routine from the start page; the reviewer's matrix shows it", async ({ browser }) => {
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
  await expect(row).toContainText("2027-02-02");
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
