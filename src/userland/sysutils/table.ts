/**
 * Column layout for tabular tools (ps): each column as wide as its widest cell, numbers
 * right-aligned, text left-aligned, one space between columns, no trailing blanks.
 */

export interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
  /** Width to keep even when every cell is narrower (ps keeps PID 5 wide). */
  readonly minWidth?: number;
}

export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[], withHeader = true): string {
  const widths = columns.map((c, i) =>
    Math.max(c.minWidth ?? 0, withHeader ? c.header.length : 0, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        return c.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join(' ')
      .trimEnd() + '\n';
  const header = withHeader ? line(columns.map((c) => c.header)) : '';
  return header + rows.map(line).join('');
}
