/** The meter's floor: below this a level shows as empty (speech sits around −30 to −10 dBFS). */
const FLOOR_DBFS = -60;

export interface LevelMeterProps {
  readonly label: string;
  readonly dbfs: number;
  readonly testId: string;
}

/** A horizontal audio level meter from −60 to 0 dBFS; `data-dbfs` carries the number for tests and tools. */
export function LevelMeter({ label, dbfs, testId }: LevelMeterProps) {
  const fraction = Math.min(1, Math.max(0, (dbfs - FLOOR_DBFS) / -FLOOR_DBFS));
  const shown = dbfs <= -100 ? '—' : `${Math.round(dbfs)} dBFS`;
  return (
    <div className="level-meter" data-testid={testId} data-dbfs={dbfs.toFixed(1)}>
      <span className="level-meter__label small muted">{label}</span>
      <meter className="level-meter__bar" min={0} max={1} low={0.7} high={0.9} optimum={0.5} value={fraction}>
        {shown}
      </meter>
      <span className="level-meter__value small mono">{shown}</span>
    </div>
  );
}
