import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// The municipality's reviewer: every district side by side for a quarter, the printout for the
// internal-control report, and the table as CSV for Excel.

test("a reviewer compares the districts for a quarter, prints the page and downloads the CSV", async ({ page }) => {
  await signInAs(page, "kontrollor");
  await page.goto("/kontroll");
  await expectHydrated(page);
  // Choose a quarter in the form (a plain GET: the period is in the address).
  const period = page.getByLabel("Periode", { exact: true });
  const second = await period.locator("option").nth(1).getAttribute("value");
  await period.selectOption(second!);
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
