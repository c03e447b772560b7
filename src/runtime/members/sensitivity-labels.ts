/**
 * The sensitivity-label catalogue Outpost offers (Office.SensitivityLabelDetails shape). Outlook reads it from the
 * tenant's Microsoft Purview policy; Outpost has no Purview, so every tenant gets this small fixed catalogue: four
 * top-level labels in the order Purview's defaults use, one of them with two sublabels. Ids are fixed GUIDs so tests
 * and item.sensitivityLabel.setAsync can name them.
 */

export interface SensitivityLabelDetails {
  id: string;
  name: string;
  tooltip: string;
  color: string;
  /** null when the label has no sublabels (as Outlook answers). */
  children: SensitivityLabelDetails[] | null;
}

const label = (id: string, name: string, tooltip: string, color: string, children: SensitivityLabelDetails[] | null = null): SensitivityLabelDetails => ({
  id,
  name,
  tooltip,
  color,
  children,
});

export const SENSITIVITY_LABELS: readonly SensitivityLabelDetails[] = [
  label("5a1c1e0e-0001-4b7e-9a61-6f75e7a10001", "Public", "Information anyone may see.", "#00A36C"),
  label("5a1c1e0e-0002-4b7e-9a61-6f75e7a10002", "General", "Business information not meant for the public.", "#0078D4"),
  label("5a1c1e0e-0003-4b7e-9a61-6f75e7a10003", "Confidential", "Sensitive business information.", "#FF8C00", [
    label("5a1c1e0e-0031-4b7e-9a61-6f75e7a10031", "Anyone (unrestricted)", "Confidential, no protection applied.", "#FF8C00"),
    label("5a1c1e0e-0032-4b7e-9a61-6f75e7a10032", "Recipients only", "Confidential, readable by the recipients only.", "#FF8C00"),
  ]),
  label("5a1c1e0e-0004-4b7e-9a61-6f75e7a10004", "Highly Confidential", "The most sensitive business information.", "#D13438"),
];

/** A label or sublabel of the catalogue by id (case-insensitive GUID), or undefined. */
export function findSensitivityLabel(id: string): SensitivityLabelDetails | undefined {
  const want = id.toLowerCase();
  for (const l of SENSITIVITY_LABELS) {
    if (l.id === want) return l;
    const child = l.children?.find((c) => c.id === want);
    if (child) return child;
  }
  return undefined;
}

/** A deep copy for an answer (the catalogue itself must never be handed out mutable). */
export function sensitivityLabelCatalogue(): SensitivityLabelDetails[] {
  return structuredClone(SENSITIVITY_LABELS) as SensitivityLabelDetails[];
}
