import { test, expect } from "@playwright/test";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// The crisis center's statistics page: the year's figures with their charts and tables, and
// how each is counted; no axe-core violations in Norwegian or English.

for (const lang of ["nb", "en"]) {
  test(`the statistics page shows the year's figures and has no axe-core violations (${lang})`, async ({ browser }) => {
    const context = await browser.newContext();
    await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
    const page = await context.newPage();
    await signInAs(page, "krisesenter");
    await page.goto("/");
    await page.getByRole("navigation").getByRole("link", { name: lang === "nb" ? "Statistikk" : "Statistics" }).click();
    await expect(page).toHaveURL(/\/statistikk$/);
    await expectHydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    // The demo plans (three adults) and those other specs took in this year, by gender in a
    // table beside the chart.
    const adults = page.locator("dl.stats-figures div").first().locator("dd");
    await expect(adults).toHaveText(/^\d+$/);
    expect(Number(await adults.innerText())).toBeGreaterThanOrEqual(3);
    await expect(page.locator("table.stats-table").first()).toBeVisible();
    await expect(page.locator("svg.chart").first()).toBeVisible();
    await expectNoAxeViolations(page);
    // Another year from the selector.
    const year = String(new Date().getFullYear());
    await expect(page.locator("#stats-year")).toHaveValue(year);
    await context.close();
  });
}

// An administrator uploads a small file with one bad row, sees why by line and column, fixes the
// row and imports it; crisis center staff then see the year's figures. Axe clean on the way.
test("an administrator imports past stays after correcting a bad row, and staff see the figures", async ({ page }) => {
  const header = "person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district";
  const good = [
    header,
    "PW-1,female,1980,2019-03-01,2019-03-21,2,police,new_home,alna",
    "PW-2,male,1975,2019-05-01,2019-05-11,0,self,own_home,",
    "PW-1,female,1980,2019-09-01,2019-09-05,1,nav,abuser,stovner",
  ].join("\n") + "\n";
  const bad = good.replace("2019-05-11", "2019-04-11");
  await signInAs(page, "admin");
  await page.goto("/statistikk");
  await page.getByRole("link", { name: "Importer tidligere år" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Importer tidligere opphold");
  await expectNoAxeViolations(page);
  const upload = async (text: string) => {
    await page.locator("#import-file").setInputFiles({ name: "opphold.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
    await page.getByRole("button", { name: "Importer" }).click();
  };
  await upload(bad);
  const problems = page.locator("#import-problems");
  await expect(problems).toContainText("Filen ble avvist, og ingenting ble lagret. 1 feil:");
  await expect(problems).toContainText("Linje 3, kolonne move_out: utflyttingen er før innflyttingen");
  await expectNoAxeViolations(page);
  await upload(good);
  await expect(page.getByRole("status")).toContainText("3 opphold ble importert");
  await expectNoAxeViolations(page);

  await signInAs(page, "krisesenter");
  await page.goto("/statistikk?aar=2019");
  const figures = page.locator("dl.stats-figures");
  await expect(figures.locator("div").nth(0).locator("dd")).toHaveText("2"); // adults
  await expect(figures.locator("div").nth(1).locator("dd")).toHaveText("3"); // children
  await expect(figures.locator("div").nth(2).locator("dd")).toHaveText("34"); // nights: 20 + 10 + 4
  await expect(figures.locator("div").nth(4).locator("dd")).toHaveText("0 (0,0 %)"); // PW-1's first stay in 2019 is the earliest
  await expectNoAxeViolations(page);
});

// The import page in English, empty and with a refused file's problems: axe clean.
test("the import page has no axe-core violations in English", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: "lang", value: "en", url: "http://127.0.0.1:3100" }]);
  const page = await context.newPage();
  await signInAs(page, "admin");
  await page.goto("/admin/import");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Import past stays");
  await expectNoAxeViolations(page);
  await page.locator("#import-file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("name,gender\nX,female\n") });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.locator("#import-problems")).toContainText("Line 1: the first line must be the header");
  await expectNoAxeViolations(page);
  await context.close();
});
