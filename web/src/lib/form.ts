/** A form field's text (a file field, or a missing one, reads as ""). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** The submit event of a form. */
export type Submit = React.SyntheticEvent<HTMLFormElement>;
