import { TASK_TYPES } from "@agentvine/core/db/enums";
import { PRIORITIES } from "@agentvine/core/resources";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import { ApiError, api } from "../api/client.ts";
import { rememberTask } from "../api/queries.ts";
import { useUi } from "../app/ui.ts";
import { toast } from "../lib/toast.ts";
import { Modal } from "./modal.tsx";
import {
  AGENT_LABELS,
  EMPTY_TASK_FORM,
  fieldErrors,
  PERMISSION_LABELS,
  TASK_FIELD_LABELS,
  type TaskField,
  type TaskFormValues,
  validateTaskForm,
} from "./task-form.ts";

/** A select's options from a value -> words map. */
const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, text]) => (
    <option key={value} value={value}>
      {text}
    </option>
  ));

export const CreateTaskDialog = () => {
  const open = useUi((s) => s.createOpen);
  const close = () => useUi.getState().setCreateOpen(false);
  return (
    <Modal open={open} title="Create task" onClose={close} className="modal-wide">
      <CreateTaskForm onDone={close} />
    </Modal>
  );
};

/** The form: validated with the API's schema as you go (after the first submit), then POSTed. */
export const CreateTaskForm = ({ onDone }: { onDone: () => void }) => {
  const qc = useQueryClient();
  const [values, setValues] = useState<TaskFormValues>(EMPTY_TASK_FORM);
  const [errors, setErrors] = useState<Partial<Record<TaskField, string>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  const create = useMutation({
    mutationFn: api.createTask,
    onSuccess: (task) => {
      rememberTask(qc, task);
      toast({ kind: "success", text: `Queued "${task.title}"`, href: `/tasks/${task.id}`, linkText: "Open" });
      onDone();
    },
    onError: (err) => {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
        const mapped = fieldErrors(err.fields);
        setErrors(mapped);
        if (Object.keys(mapped).length === 0) setFormError(err.message);
        focusFirstError(mapped);
      } else {
        setFormError(err.message);
      }
    },
  });

  const focusFirstError = (errs: Partial<Record<TaskField, string>>) => {
    const first = (Object.keys(TASK_FIELD_LABELS) as TaskField[]).find((f) => errs[f]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };

  const set = (field: TaskField, value: string) => {
    const next = { ...values, [field]: value } as TaskFormValues;
    setValues(next);
    if (submitted) {
      const result = validateTaskForm(next);
      setErrors(result.ok ? {} : result.errors);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFormError(null);
    const result = validateTaskForm(values);
    if (!result.ok) {
      setErrors(result.errors);
      focusFirstError(result.errors);
      return;
    }
    setErrors({});
    create.mutate(result.input);
  };

  const field = (name: TaskField) => {
    const error = errors[name];
    return {
      id: `${id}-${name}`,
      name,
      value: values[name],
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? `${id}-${name}-error` : undefined,
      onChange: (e: { target: { value: string } }) => set(name, e.target.value),
    };
  };
  const label = (name: TaskField, extra?: string) => (
    <label htmlFor={`${id}-${name}`}>
      {TASK_FIELD_LABELS[name]}
      {extra && <span className="muted"> {extra}</span>}
    </label>
  );
  const error = (name: TaskField) =>
    errors[name] ? (
      <p className="field-error" id={`${id}-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form">
      <div className="field">
        {label("title")}
        <input {...field("title")} autoComplete="off" maxLength={400} required />
        {error("title")}
      </div>
      <div className="field">
        {label("description", "(optional)")}
        <textarea {...field("description")} rows={5} />
        {error("description")}
      </div>
      <div className="field-row">
        <div className="field">
          {label("taskType")}
          <select {...field("taskType")}>
            {TASK_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          {error("taskType")}
        </div>
        <div className="field">
          {label("priority")}
          <select {...field("priority")}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          {error("priority")}
        </div>
      </div>
      <div className="field-row">
        <div className="field grow">
          {label("repositoryUrl", "(optional)")}
          <input
            {...field("repositoryUrl")}
            inputMode="url"
            autoComplete="off"
            placeholder="https://github.com/org/repo.git"
            spellCheck={false}
          />
          {error("repositoryUrl")}
        </div>
        <div className="field">
          {label("branchName", "(optional)")}
          <input
            {...field("branchName")}
            autoComplete="off"
            placeholder="the default branch"
            spellCheck={false}
          />
          {error("branchName")}
        </div>
      </div>
      <fieldset className="field-group">
        <legend>Agent options</legend>
        <div className="field-row">
          <div className="field">
            {label("agent")}
            <select {...field("agent")}>
              <option value="">Server default</option>
              {options(AGENT_LABELS)}
            </select>
            {error("agent")}
          </div>
          <div className="field">
            {label("model", "(optional)")}
            <input {...field("model")} autoComplete="off" placeholder="worker default" spellCheck={false} />
            {error("model")}
          </div>
        </div>
        <div className="field">
          {label("permissionMode")}
          <select {...field("permissionMode")}>{options(PERMISSION_LABELS)}</select>
          {error("permissionMode")}
        </div>
        <div className="field-row">
          <div className="field">
            {label("maxTurns", "(optional)")}
            <input {...field("maxTurns")} type="number" inputMode="numeric" min={1} max={500} step={1} />
            {error("maxTurns")}
          </div>
          <div className="field">
            {label("maxBudgetUsd", "(optional)")}
            <input
              {...field("maxBudgetUsd")}
              type="number"
              inputMode="decimal"
              min={0.01}
              max={1000}
              step={0.01}
            />
            {error("maxBudgetUsd")}
          </div>
        </div>
      </fieldset>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create"}
        </button>
      </div>
    </form>
  );
};
