import { test, expect, type Browser, type Page } from "@playwright/test";
import { ALL_SERVICES, consentAtIntake, expectHydrated, expectNoAxeViolations, setClock, signInAs } from "./pages";

// The resident's path in the browser, in Norwegian, with the portal's clock moved by the test
// (PORTAL_TEST_CLOCK): intake with children and another target district, the housing plan
// passing its deadline at Oslo midnight, NAV completing it, the transfer, the exit meeting,
// the move-out, and the follow-up arriving in the target district. Forms are used without
// JavaScript (plain HTML forms); the accessibility scans run with it.

const RESIDENT = "Playwright Testesen";

/** A new page without JavaScript, signed in as a demo user. */
async function asUser(browser: Browser, local: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, local);
  return page;
}

/** Page object: the crisis center's intake form. */
class IntakeForm {
  constructor(readonly page: Page) {}

  async create(fields: { name: string; birthYear: string; arrival: string; children: string; home: string; target: string; reason: string }) {
    const page = this.page;
    await page.goto("/planer/ny");
    await page.getByLabel("Navn eller avtalt alias", { exact: true }).fill(fields.name);
    await page.getByLabel("Fødselsår", { exact: true }).fill(fields.birthYear);
    await page.getByLabel("Kjønn (til statistikk)", { exact: true }).selectOption({ label: "Kvinne" });
    await page.getByLabel("Innflyttingsdato", { exact: true }).fill(fields.arrival);
    await page.getByLabel("Hvordan beboeren kom", { exact: true }).selectOption({ label: "Politiet" });
    await page.getByLabel("Barn i oppholdet: fødselsår", { exact: true }).fill(fields.children);
    await page.getByLabel("Tilhørighetsbydel", { exact: true }).selectOption({ label: fields.home });
    await page.getByLabel("Bydel for ny bolig (hvis en annen)", { exact: true }).selectOption({ label: fields.target });
    await page.getByLabel("Hvorfor en annen bydel", { exact: true }).selectOption({ label: fields.reason });
    // The resident consents to share with every service (consent.spec.ts covers the rest).
    await consentAtIntake(page, ALL_SERVICES);
    await page.getByRole("button", { name: "Opprett plan" }).click();
  }
}

/** Page object: a task page and its buttons. */
class TaskPage {
  constructor(readonly page: Page) {}

  async openFromInbox(step: string) {
    await this.page.goto("/oppgaver");
    const row = this.page.locator("table.tasks tbody tr", { hasText: RESIDENT }).filter({ hasText: step });
    await row.getByRole("link", { name: step }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: step })).toBeVisible();
  }

  async press(button: string, comment?: string) {
    if (comment) await this.page.getByLabel("Kommentar", { exact: true }).fill(comment);
    await this.page.getByRole("button", { name: button }).click();
    await expect(this.page.getByRole("status")).toContainText("Oppgaven er oppdatert.");
  }
}

test.describe.serial("the resident's path", () => {
  let planUrl = "";

  test.afterAll(async () => {
    // Back to the real time for the other spec files.
    await setClock(new Date().toISOString());
  });

  test("staff create a plan with children and another target district", async ({ browser }) => {
    const staff = await asUser(browser, "krisesenter");
    await setClock("2026-03-16T09:00:00Z");
    await signInAs(staff, "krisesenter");
    await staff.goto("/");
    await staff.getByRole("navigation").getByRole("link", { name: "Planer" }).click();
    await staff.getByRole("link", { name: "Ny plan (innflytting)" }).click();
    const intake = new IntakeForm(staff);
    // A wrong year of birth: back with the field named, nothing stored.
    await intake.create({ name: RESIDENT, birthYear: "1850", arrival: "2026-03-16", children: "2018, 2021", home: "Alna", target: "Frogner", reason: "Trusselsituasjon" });
    await expect(staff.getByRole("alert")).toContainText("Fødselsår");
    await intake.create({ name: RESIDENT, birthYear: "1991", arrival: "2026-03-16", children: "2018, 2021", home: "Alna", target: "Frogner", reason: "Trusselsituasjon" });
    await expect(staff).toHaveURL(/\/planer\/\d+\?ok=opprettet$/);
    planUrl = new URL(staff.url()).pathname;
    await expect(staff.getByRole("heading", { level: 1 })).toContainText(RESIDENT);
    const tasks = staff.locator("table.tasks");
    await expect(tasks).toContainText("Plan for boligfremskaffelse");
    await expect(tasks.locator("tr", { hasText: "Plan for boligfremskaffelse" })).toContainText("30.03.2026");
    await expect(tasks.locator("tr", { hasText: "Plan for boligfremskaffelse" })).toContainText("NAV-kontor, Alna");

    // The page leads: where the resident is, and the next step (the report of concern, as there
    // are children), whose form is the one open.
    const path = staff.locator("section.plan-path");
    await expect(path.locator("li", { hasText: "Boligplan (NAV)" })).toContainText("Nå");
    await expect(path.locator("li", { hasText: "Innflytting" })).toContainText("Ferdig");
    await expect(path).toContainText("Ingen frister er passert.");
    await expect(path.getByRole("link", { name: /Vurder bekymringsmelding/ })).toHaveAttribute("href", "#plan-concern");
    await expect(staff.getByLabel("Melding sendt", { exact: true })).toBeVisible();
    await expect(staff.getByLabel("Planlagt utflytting", { exact: true })).toBeHidden();

    // The planned move-out brings the exit meeting and the transfer to Frogner; temporary
    // housing expected brings NAV's follow-up plan before the move-out.
    await staff.getByText("Vis skjema: opplysninger og barn").click();
    const details = staff.locator("form", { has: staff.getByLabel("Planlagt utflytting", { exact: true }) });
    await details.getByLabel("Planlagt utflytting", { exact: true }).fill("2026-04-20");
    await expect(details.getByLabel("Forventet utflyttingsstatus", { exact: true })).toHaveValue("");
    await details.getByLabel("Forventet utflyttingsstatus", { exact: true }).selectOption({ label: "Midlertidig bolig (kommunal)" });
    await details.getByRole("button", { name: "Lagre", exact: true }).click();
    await expect(staff.getByRole("status")).toContainText("Planens opplysninger er lagret.");
    await expect(tasks.locator("tr", { hasText: "Saken overført til ny bydel" })).toHaveCount(2);
    const followUp = tasks.locator("tr", { hasText: "Oppfølgingsplan ved midlertidig bolig" });
    await expect(followUp).toContainText("20.04.2026");
    await expect(followUp).toContainText("NAV-kontor, Alna");
    // With children, the center considers a report of concern within a week of the arrival.
    await expect(tasks.locator("tr", { hasText: "Bekymringsmelding til barnevernet vurdert" })).toContainText("23.03.2026");
    await staff.context().close();
  });

  test("the report of concern reaches child welfare when it is sent; child welfare records the receipt", async ({ browser }) => {
    const staff = await asUser(browser, "krisesenter");
    await setClock("2026-03-17T09:00:00Z");
    await signInAs(staff, "krisesenter");
    await staff.goto(planUrl);
    const report = staff.locator("form", { has: staff.getByLabel("Melding sendt", { exact: true }) });
    await report.getByLabel("Behov for melding registrert", { exact: true }).fill("2026-03-16");
    await report.getByLabel("Melding sendt", { exact: true }).fill("2026-03-16");
    await report.getByRole("button", { name: "Lagre", exact: true }).click();
    await expect(staff.getByRole("status")).toContainText("Bekymringsmeldingen er lagret");
    await expect(staff.locator("main")).toContainText("ikke registrert av barnevernet ennå");
    await staff.context().close();

    const childWelfare = await asUser(browser, "barnevern.alna");
    const task = new TaskPage(childWelfare);
    await task.openFromInbox("Barnevernet gjennomgår meldingen");
    await expect(childWelfare.locator("dl.facts")).toContainText("23.03.2026");
    await childWelfare.getByLabel("Mottatt av barnevernet", { exact: true }).fill("2026-03-17");
    await childWelfare.getByRole("button", { name: "Registrer mottak" }).click();
    await expect(childWelfare.getByRole("status")).toContainText("Mottaket er registrert.");
    await expect(childWelfare.locator("dl.facts")).toContainText("24.03.2026");
    await expect(childWelfare.locator("dl.facts")).toContainText("16.03.2026");
    await childWelfare.context().close();
  });

  test("a caseworker of another district sees nothing of the plan", async ({ browser }) => {
    const frogner = await asUser(browser, "nav.frogner");
    await frogner.goto("/oppgaver");
    await expect(frogner.locator("main")).not.toContainText(RESIDENT);
    const res = await frogner.goto(planUrl);
    expect(res?.status()).toBe(404);
    await expect(frogner.locator("main")).not.toContainText(RESIDENT);
    await frogner.context().close();
  });

  test("the housing plan passes its deadline at Oslo midnight; NAV Alna completes it", async ({ browser }) => {
    const nav = await asUser(browser, "nav.alna");
    await setClock("2026-03-30T21:59:00Z"); // 23:59 in Oslo
    await signInAs(nav, "nav.alna");
    await nav.goto("/oppgaver");
    const row = nav.locator("table.tasks tbody tr", { hasText: RESIDENT }).filter({ hasText: "Plan for boligfremskaffelse" });
    await expect(row).toContainText("Frist snart");
    await setClock("2026-03-30T22:00:00Z"); // 00:00 on 31 March in Oslo
    await nav.reload();
    await expect(row).toContainText("Forfalt");
    await expect(nav.locator("table.tasks tbody tr").first()).toContainText("Forfalt");

    const task = new TaskPage(nav);
    await task.openFromInbox("Plan for boligfremskaffelse");
    await task.press("Ta oppgaven");
    await task.press("Marker som utført", "Boligplan sendt til beboeren.");
    await expect(nav.locator("dl.facts")).toContainText("Utført");
    await expect(nav.locator("table.history")).toContainText("Boligplan sendt til beboeren.");
    await expect(nav.locator("table.history")).toContainText("Demo NAV Alna");

    // The transfer, by NAV and child welfare of the home district.
    await task.openFromInbox("Saken overført til ny bydel");
    await task.press("Marker som utført");
    await nav.context().close();
    const childWelfare = await asUser(browser, "barnevern.alna");
    const cwTask = new TaskPage(childWelfare);
    await cwTask.openFromInbox("Saken overført til ny bydel");
    await cwTask.press("Marker som utført");
    await childWelfare.context().close();
  });

  test("staff hold the exit meeting and register the move-out; the follow-up appears in Frogner", async ({ browser }) => {
    const staff = await asUser(browser, "krisesenter");
    await setClock("2026-04-20T08:00:00Z");
    await signInAs(staff, "krisesenter");
    await staff.goto(planUrl);
    await expect(staff.locator("dl.facts")).toContainText("Fullført 31.03.2026");
    await expect(staff.locator("section.plan-path li", { hasText: "Avsluttende møte" })).toContainText("Nå");
    await expect(staff.locator("section.plan-path li", { hasText: "Boligplan (NAV)" })).toContainText("Ferdig");
    await staff.getByLabel("Tidspunkt", { exact: true }).fill("2026-04-17T10:00");
    await staff.getByRole("button", { name: "Lagre tidspunkt og invitasjoner" }).click();
    await expect(staff.getByRole("status")).toContainText("Det avsluttende møtet er planlagt.");
    // Every invited service's attendance starts unanswered and must be answered.
    const answers = staff.locator('select[name^="attendance["]');
    for (let i = 0; i < (await answers.count()); i++) {
      await expect(answers.nth(i)).toHaveValue("");
      await answers.nth(i).selectOption({ label: "Møtte" });
    }
    await staff.getByLabel("NAV Alna", { exact: true }).selectOption({ label: "Møtte ikke" });
    await staff.getByLabel("Kort oppsummering", { exact: true }).fill("Boligsituasjon og oppfølging gjennomgått.");
    await staff.getByRole("button", { name: "Registrer møtet som holdt" }).click();
    await expect(staff.locator("ul.attendance")).toContainText("NAV Alna: Møtte ikke");

    await staff.getByLabel("Utflyttingsdato", { exact: true }).fill("2026-04-20");
    await staff.getByLabel("Utflyttingsstatus", { exact: true }).selectOption({ label: "Midlertidig bolig (kommunal)" });
    await staff.getByLabel("Hovedansvarlig tjeneste etter oppholdet", { exact: true }).selectOption({ label: "Voldskoordinator i bydel Frogner" });
    await staff.getByRole("button", { name: "Registrer utflytting" }).click();
    await expect(staff.getByRole("status")).toContainText("Utflyttingen er registrert.");
    const tasks = staff.locator("table.tasks");
    await expect(tasks.locator("tr", { hasText: "Oppfølgingskontakt etter utflytting" })).toContainText("Voldskoordinator, Frogner");
    await expect(tasks.locator("tr", { hasText: "Oppfølgingsplan ved midlertidig bolig" })).toContainText("NAV-kontor, Frogner");
    await staff.context().close();

    const coordinator = await asUser(browser, "vold.frogner");
    await coordinator.goto("/oppgaver");
    await expect(coordinator.locator("table.tasks tbody tr", { hasText: RESIDENT })).toContainText("Oppfølgingskontakt etter utflytting");
    await coordinator.context().close();
    // Child welfare of Frogner takes over the transferred case with children.
    const receiving = await asUser(browser, "barnevern.frogner");
    await receiving.goto("/oppgaver");
    await expect(receiving.locator("table.tasks tbody tr", { hasText: RESIDENT })).toContainText("Overført sak tatt imot av barnevernet i ny bydel");
    await receiving.context().close();
  });

  // One test per language and user, so each stays well inside the 30 s limit on a slow machine
  // (one test of all twenty scans timed out in CI).
  for (const lang of ["nb", "en"] as const) {
    for (const user of ["krisesenter", "nav.frogner"] as const) {
      test(`the plan pages have no axe-core violations for ${user} (${lang})`, async ({ browser }) => {
        const paths =
          user === "krisesenter"
            ? ["/planer", "/planer/ny", "/planer/ny?feil=E-INVALID-INPUT&felt=birth_year", planUrl, "/oppgaver"]
            : ["/oppgaver", planUrl, "/bydeler/frogner/frister"];
        const context = await browser.newContext();
        await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
        const page = await context.newPage();
        await signInAs(page, user);
        for (const path of paths) {
          await page.goto(path);
          await expectHydrated(page);
          await expectNoAxeViolations(page);
        }
        if (user === "nav.frogner") {
          // A task page, with its forms and history (the crisis center's inbox is empty here).
          await page.goto("/oppgaver");
          const first = page.locator("table.tasks tbody tr a[href^='/oppgaver/']").first();
          await expect(first).toBeVisible();
          await first.click();
          await expectHydrated(page);
          await expectNoAxeViolations(page);
        }
        await context.close();
      });
    }
  }

  test("with JavaScript the intake works the same: errors by field, then the plan", async ({ page }) => {
    await setClock("2026-04-20T08:00:00Z");
    await signInAs(page, "krisesenter");
    await page.goto("/planer/ny");
    await expectHydrated(page);
    const intake = new IntakeForm(page);
    const fields = { name: "Skript Testesen", birthYear: "1988", arrival: "2026-04-20", children: "to barn", home: "Frogner", target: "Samme som tilhørighetsbydel", reason: "—" };
    await intake.create(fields);
    await expect(page.getByRole("alert")).toContainText("Barn i oppholdet");
    await intake.create({ ...fields, children: "2015" });
    await expect(page).toHaveURL(/\/planer\/\d+\?ok=opprettet$/);
    await expectHydrated(page);
    const tasks = page.locator("table.tasks");
    await expect(tasks.locator("tr", { hasText: "Plan for boligfremskaffelse" })).toContainText("04.05.2026");
    await expect(tasks.locator("tr", { hasText: "Plan for boligfremskaffelse" })).toContainText("NAV-kontor, Frogner");
    await expect(tasks.locator("tr", { hasText: "Individuell plan tilbudt" })).toContainText("20.05.2026");
  });

  test("with JavaScript the same forms work: Frogner's NAV takes the follow-up plan", async ({ page }) => {
    await signInAs(page, "nav.frogner");
    await page.goto("/oppgaver");
    await expectHydrated(page);
    const task = new TaskPage(page);
    await task.openFromInbox("Oppfølgingsplan ved midlertidig bolig");
    await expectHydrated(page);
    // Giving the task to a colleague starts on no one.
    await expect(page.getByLabel("Gi oppgaven til en kollega", { exact: true })).toHaveValue("");
    await task.press("Ta oppgaven", "Tar kontakt med beboeren denne uken.");
    await expect(page.locator("dl.facts")).toContainText("Demo NAV Frogner");
  });
});
