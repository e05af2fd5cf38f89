import { test, expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// The municipality's reviewer: every district side by side for a quarter, the printout for the
// internal-control report, and the table as CSV for Excel.

/** Chooses the second period of the form's list (the quarter before the last); gives its value. */
async function chooseSecondPeriod(page: Page): Promise<string> {
  const period = page.getByLabel("Periode", { exact: true });
  const second = (await period.locator("option").nth(1).getAttribute("value"))!;
  await period.selectOption(second);
  return second;
}

test("a reviewer compares the districts for a quarter, prints the page and downloads the CSV", async ({ page }) => {
  await signInAs(page, "kontrollor");
  await page.goto("/kontroll");
  await expectHydrated(page);
  // Choose a quarter in the form (a plain GET: the period is in the address).
  const second = await chooseSecondPeriod(page);
  await page.getByRole("button", { name: "Vis" }).click();
  await expect(page).toHaveURL(new RegExp(`periode=${second}`));
  const table = page.locator("table.compliance").first();
  for (const district of ["Alna", "Frogner", "Oslo kommune"]) {
    await expect(table.getByRole("rowheader", { name: district, exact: true })).toBeVisible();
  }
  await expect(page.locator("svg.chart")).toHaveCount(1);
  await expect(page.getByText("Tallene er laget")).toBeVisible();
  await expectNoAxeViolations(page);

  // Printed: the figures without the header, the period form or the download links.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator("form.period-form")).toBeHidden();
  await expect(table).toBeVisible();
  await expect(page.getByText("Last ned tabellen som CSV (for Excel)").first()).toBeHidden();
  await page.emulateMedia({ media: "screen" });

  // The housing-plan table as a CSV file for Norwegian Excel.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByText("Last ned tabellen som CSV (for Excel)").first().click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^kontroll-boligplaner-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.startsWith("\ufeffBydel;Fra;Til;")).toBe(true);
  expect(csv).toContain("\r\nAlna;");
  expect(csv).toContain("\r\nOslo kommune;");
});

test("a reviewer compares two districts for a quarter, opens one district's print view and downloads its quarters", async ({ page }) => {
  await signInAs(page, "kontrollor");
  await page.goto("/kontroll");
  await expectHydrated(page);
  const second = await chooseSecondPeriod(page);
  await page.getByText("Sammenlign bestemte bydeler").click();
  await page.getByLabel("Alna", { exact: true }).check();
  await page.getByLabel("Stovner", { exact: true }).check();
  await page.getByRole("button", { name: "Vis" }).click();
  await expect(page).toHaveURL(new RegExp(`periode=${second}&.*bydel=alna&bydel=stovner`));
  const table = page.locator("table.compliance").first();
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.getByRole("rowheader", { name: "Oslo kommune", exact: true })).toBeVisible();
  await expect(table.getByRole("rowheader", { name: "Frogner", exact: true })).toHaveCount(0);
  // The choice stays in the form, and the CSV holds the same rows.
  await expect(page.getByLabel("Stovner", { exact: true })).toBeChecked();
  const [compared] = await Promise.all([
    page.waitForEvent("download"),
    page.getByText("Last ned tabellen som CSV (for Excel)").first().click(),
  ]);
  expect(compared.suggestedFilename()).toMatch(/^kontroll-boligplaner-alna-stovner-/);
  const rows = readFileSync((await compared.path())!, "utf8").trim().split("\r\n").map((l) => l.split(";")[0]);
  expect(rows.slice(1)).toEqual(["Alna", "Stovner", "Oslo kommune"]);
  await expectNoAxeViolations(page);

  // One district's page: its quarters beside the municipality's.
  await table.getByRole("link", { name: "Stovner", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/kontroll/stovner\\?periode=${second}$`));
  await expectHydrated(page);
  await expect(page.getByRole("heading", { name: "Kontroll av frister: Stovner" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Kvartal for kvartal" })).toBeVisible();
  await expect(page.locator("table.compliance").first().locator("tbody tr")).toHaveCount(8);
  await expectNoAxeViolations(page);
  const [quarters] = await Promise.all([
    page.waitForEvent("download"),
    page.getByText("Last ned tabellen som CSV (for Excel)").first().click(),
  ]);
  expect(quarters.suggestedFilename()).toMatch(/^kontroll-kvartaler-stovner-/);
  const lines = readFileSync((await quarters.path())!, "utf8").trim().split("\r\n");
  expect(lines).toHaveLength(1 + 16);

  // The print view: the report alone, for A4.
  await page.getByRole("link", { name: "Utskrift for internkontrollrapporten" }).click();
  await expect(page).toHaveURL(new RegExp(`/kontroll/stovner/utskrift\\?periode=${second}$`));
  await expect(page.locator(".site-header")).toHaveCount(0);
  await expect(page.locator("nav")).toHaveCount(0);
  await expect(page.locator("form")).toHaveCount(0);
  await expect(page.getByText("Tallene er laget")).toBeVisible();
  await expect(page.locator("svg.chart")).toHaveCount(2);
  await expectNoAxeViolations(page);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByText("Tilbake til bydelens side.")).toBeHidden();
  await expect(page.locator("table.compliance").first()).toBeVisible();
});

test("the district compliance pages have no axe-core violations in English", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: "lang", value: "en", url: "http://127.0.0.1:3100" }]);
  const page = await context.newPage();
  await signInAs(page, "kontrollor");
  for (const path of ["/kontroll?bydel=alna&bydel=frogner", "/kontroll/alna", "/kontroll/alna/utskrift"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toContainText("Deadline compliance");
    await expectNoAxeViolations(page);
  }
  await context.close();
});
