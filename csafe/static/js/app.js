import { initAll as initGovUK } from "../build/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../build/moj/moj-frontend.min.js";

initGovUK();
initMoj();
