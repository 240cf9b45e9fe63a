import { cloneElement, useId, type InputHTMLAttributes, type ReactElement } from "react";

/** A form control with its label and, below it, the API's reason for refusing it or else a
 * hint; the control is described by that text and marked invalid while there is an error. */
export function Labelled({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ReactElement<ControlProps>;
}) {
  const id = useId();
  const note = error ?? hint;
  return (
    <div className="space-y-1 text-sm">
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      {cloneElement(children, {
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": note ? `${id}-note` : undefined,
      })}
      {note && (
        <p id={`${id}-note`} className={error ? "text-negative" : "text-muted"}>
          {note}
        </p>
      )}
    </div>
  );
}

interface ControlProps {
  id?: string;
  "aria-invalid"?: boolean | undefined;
  "aria-describedby"?: string | undefined;
}

/** A labelled text input (see `Labelled`). */
export function Field({
  label,
  hint,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string | undefined }) {
  return (
    <Labelled label={label} hint={hint} error={error}>
      <input className="input" {...input} />
    </Labelled>
  );
}
