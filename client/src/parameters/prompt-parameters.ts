/**
 * Asks for a flow's parameters one after the other (step n of m): an input box for typed values,
 * refused live with a message naming the parameter and the type, a pick for booleans and enums.
 * Escape anywhere cancels the whole run.
 */
import * as vscode from "vscode";
import type { JsonValue } from "../../../runtime/src/store/records.js";
import { collectParameters, initialText, parameterPrompts, parseInput, promptText, type ParameterPrompt, type ParameterSchema, type ParsedInput } from "./parameter-prompts.js";

/**
 * The parameters to run `what` (e.g. `flow upstream-flow`) with, or undefined when cancelled.
 * `defaults` (a deployment's parameters) pre-fill the inputs.
 */
export async function promptForParameters(what: string, schema: ParameterSchema | undefined, defaults?: Record<string, JsonValue>): Promise<Record<string, JsonValue> | undefined> {
  const prompts = parameterPrompts(schema, defaults);
  const answers: [string, ParsedInput][] = [];
  for (const [index, prompt] of prompts.entries()) {
    const step = { title: `Run ${what}: ${prompt.name}`, step: index + 1, totalSteps: prompts.length };
    const answer = prompt.choices !== undefined ? await pick(prompt, step) : await type(prompt, step);
    if (answer === undefined) return undefined;
    answers.push([prompt.name, answer]);
  }
  return collectParameters(answers);
}

interface Step {
  title: string;
  step: number;
  totalSteps: number;
}

function type(prompt: ParameterPrompt, step: Step): Promise<ParsedInput | undefined> {
  const input = vscode.window.createInputBox();
  Object.assign(input, step);
  input.prompt = promptText(prompt);
  input.value = initialText(prompt);
  input.placeholder = prompt.default !== undefined ? `default: ${initialText(prompt)}` : prompt.typeLabel;
  input.ignoreFocusOut = true;
  return new Promise((resolve) => {
    let answer: ParsedInput | undefined;
    const check = (text: string) => {
      const parsed = parseInput(prompt, text);
      input.validationMessage = "error" in parsed ? parsed.error : undefined;
      return parsed;
    };
    const subscriptions = [
      input.onDidChangeValue(check),
      input.onDidAccept(() => {
        const parsed = check(input.value);
        if ("error" in parsed) return;
        answer = parsed;
        input.hide();
      }),
      input.onDidHide(() => {
        for (const s of subscriptions) s.dispose();
        input.dispose();
        resolve(answer);
      }),
    ];
    input.show();
  });
}

interface Choice extends vscode.QuickPickItem {
  answer: ParsedInput;
}

function pick(prompt: ParameterPrompt, step: Step): Promise<ParsedInput | undefined> {
  const quickPick = vscode.window.createQuickPick<Choice>();
  Object.assign(quickPick, step);
  quickPick.placeholder = promptText(prompt);
  quickPick.ignoreFocusOut = true;
  const choices: Choice[] = (prompt.choices ?? []).map((value) => ({
    label: typeof value === "string" ? value : JSON.stringify(value),
    description: JSON.stringify(value) === JSON.stringify(prompt.default) ? "default" : undefined,
    answer: { value },
  }));
  if (!prompt.required && prompt.default === undefined) choices.push({ label: "(leave out)", description: "the flow's own default applies", answer: { omit: true } });
  quickPick.items = choices;
  const preferred = choices.find((c) => c.description === "default");
  if (preferred) quickPick.activeItems = [preferred];
  return new Promise((resolve) => {
    let answer: ParsedInput | undefined;
    const subscriptions = [
      quickPick.onDidAccept(() => {
        answer = quickPick.selectedItems[0]?.answer ?? quickPick.activeItems[0]?.answer;
        quickPick.hide();
      }),
      quickPick.onDidHide(() => {
        for (const s of subscriptions) s.dispose();
        quickPick.dispose();
        resolve(answer);
      }),
    ];
    quickPick.show();
  });
}
