const { flow, deploy } = require("tributaryjs");
const { billing } = require("./namespace");

const invoice = flow("invoice", async ({ month }) => {
  await billing({ month });
  return month;
});

module.exports = { invoice, invoiceDeployment: deploy(invoice, { name: "monthly" }) };
