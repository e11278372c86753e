/// <reference lib="dom" />
/**
 * A deployment's Run form, drawn from param-form.ts's fields: every input has its label, a
 * required mark, the schema's description as its hint. Numbers are typed as text (`inputmode`) so
 * that a wrong value can be named rather than silently dropped by the browser. A value that does
 * not fit is refused naming the parameter, before any request; the server's 422 is shown too. A
 * run made opens its page.
 */
import type { DeploymentRecord } from "../../orchestrator/contract.js";
import type { FlowRunRecord } from "../../store/records.js";
import { h } from "../dom.js";
import type { PageContext } from "../page.js";
import { paramFields, readParams, WHOLE_OBJECT, type FieldInput, type ParamField } from "../param-form.js";
import { deploymentApi } from "./parts.js";

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function runForm(deployment: DeploymentRecord, context: PageContext): HTMLFormElement {
  const fields = paramFields(deployment.parameterSchema, deployment.parameters);
  const controls = new Map<string, Control>();
  const error = h("p", { id: "run-form-error", class: "form-error", role: "alert" });
  const rows = fields.map((field, index) => {
    const id = `param-${index}`;
    const hintId = `${id}-hint`;
    const control = controlOf(field, id);
    if (field.description !== undefined) control.setAttribute("aria-describedby", hintId);
    if (field.required) control.setAttribute("aria-required", "true");
    controls.set(field.name, control);
    const name = field.name === WHOLE_OBJECT ? "Parameters" : field.name;
    const label = h("label", { for: id }, name, field.required ? h("span", { class: "required", title: "required" }, " *") : null, h("span", { class: "muted type" }, ` ${typeWords(field)}`));
    const hint = field.description !== undefined ? h("small", { id: hintId, class: "hint" }, field.description) : null;
    return field.kind === "boolean" ? h("div", { class: "field field-check" }, control, label, hint) : h("div", { class: "field" }, label, control, hint);
  });
  const submit = h("button", { type: "submit" }, "Run");
  const form = h(
    "form",
    { id: "run-form", "aria-labelledby": "run-form-title", novalidate: true },
    h("h2", { id: "run-form-title" }, "Run"),
    fields.length === 0 ? h("p", { class: "muted" }, "The flow takes no parameters.") : null,
    fields.some((field) => field.required) ? h("p", { class: "muted" }, "Fields marked * are required.") : null,
    ...rows,
    error,
    h("div", {}, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const control of controls.values()) control.removeAttribute("aria-invalid");
    const inputs: Record<string, FieldInput> = {};
    for (const [name, control] of controls) inputs[name] = control instanceof HTMLInputElement && control.type === "checkbox" ? control.checked : control.value;
    const read = readParams(fields, inputs);
    if ("problem" in read) {
      error.textContent = read.problem;
      const control = controls.get(read.field);
      control?.setAttribute("aria-invalid", "true");
      control?.focus();
      return;
    }
    error.textContent = "";
    submit.disabled = true;
    context.api.post<FlowRunRecord>(`${deploymentApi(deployment.name)}/runs`, { parameters: read.parameters }).then(
      (run) => {
        context.announce(`Created flow run ${run.name}.`);
        context.navigate(`/runs/${encodeURIComponent(run.id)}`);
      },
      (failure: Error) => {
        submit.disabled = false;
        error.textContent = failure.message;
      },
    );
  });
  return form;
}

function controlOf(field: ParamField, id: string): Control {
  const name = field.name === WHOLE_OBJECT ? "parameters" : field.name;
  switch (field.kind) {
    case "boolean":
      return h("input", { id, name, type: "checkbox", checked: field.checked });
    case "enum": {
      const select = h("select", { id, name }, field.required ? null : h("option", { value: "" }, "(not set)"), ...(field.choices ?? []).map((choice) => h("option", { value: JSON.stringify(choice) }, typeof choice === "string" ? choice : JSON.stringify(choice))));
      select.value = field.initial;
      return select;
    }
    case "json": {
      const area = h("textarea", { id, name, rows: 3, spellcheck: "false" });
      area.value = field.initial;
      return area;
    }
    default: {
      const input = h("input", { id, name, type: "text", autocomplete: "off", ...(field.kind === "string" ? {} : { inputmode: field.kind === "integer" ? "numeric" : "decimal" }) });
      input.value = field.initial;
      return input;
    }
  }
}

function typeWords(field: ParamField): string {
  switch (field.kind) {
    case "enum":
      return "(one of the choices)";
    case "json":
      return field.jsonType === undefined ? "(JSON or text)" : `(JSON ${field.jsonType})`;
    default:
      return `(${field.kind})`;
  }
}
