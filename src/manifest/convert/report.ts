/** What a conversion could not carry, or carried with a change — never silently dropped. */
export interface ConversionNote {
  /** `dropped`: not representable in the target format; `changed`: carried, but not identically. */
  kind: "dropped" | "changed";
  field: string;
  message: string;
}

export interface ConversionResult {
  output: string;
  notes: ConversionNote[];
}

export class ConversionNotes {
  readonly list: ConversionNote[] = [];
  dropped(field: string, message: string) {
    this.list.push({ kind: "dropped", field, message });
  }
  changed(field: string, message: string) {
    this.list.push({ kind: "changed", field, message });
  }
}
