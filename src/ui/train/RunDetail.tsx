import type { CSSProperties } from 'react';
import { elsewhereLabel, type EpochResult, type RunRecord } from '../../core/runs';
import { describeModel } from '../../core/models';
import { shortLabels } from '../../core/labels';
import { useLab, useOpenDataset } from '../../state/store';
import { ConfusionPanel, matrixWidth } from './ConfusionPanel';
import { EpochCurves } from './Curves';

/** A run's curves per epoch, its validation confusion matrix, and its test result once it has one. */
export function RunDetail({
  run,
  epochs,
  bestEpoch,
}: {
  run: RunRecord;
  epochs: EpochResult[];
  bestEpoch: number;
}) {
  const latest = epochs.at(-1);
  const kept = epochs.find((e) => e.epoch === bestEpoch);
  const shown = run.status === 'running' ? latest : (kept ?? latest);
  const task = useLab((s) => s.tasks.find((t) => t.id === run.taskId));
  const labels = useOpenDataset()?.manifest.labels;
  // Mirrored copies (flip augmentation) are numbered after the dataset's images.
  const truthOf = (item: number) => task!.targetOf[labels![item % labels!.length]!]!;
  // Leaf names can repeat across branches (Female and Male Boots): rows and columns name what tells them apart.
  const classes =
    task && task.outputs.length === run.classes.length ? shortLabels(task.outputs) : run.classes;
  const examples =
    run.test && task && labels ? { ...run.test, truth: run.test.items.map(truthOf) } : undefined;
  const valExamples =
    run.validation && task && labels && shown === kept && run.status !== 'running'
      ? { ...run.validation, truth: run.validation.items.map(truthOf) }
      : undefined;
  return (
    <section className="run-detail" data-testid="run-detail" data-run={run.id}>
      <h3>
        Run {run.cell + 1}.{run.repeat + 1}: {describeModel(run.spec)}, seed {run.settings.seed}
      </h3>
      {run.trainedElsewhere && (
        <p className="hint" data-testid="trained-elsewhere">
          Trained elsewhere: {elsewhereLabel(run.trainedElsewhere)}.
        </p>
      )}
      {epochs.length > 0 ? (
        <EpochCurves epochs={epochs} />
      ) : (
        <p className="hint">The first epoch is training…</p>
      )}
      <div
        className="matrices"
        style={{ '--matrix-width': `${matrixWidth(classes.length)}px` } as CSSProperties}
      >
        {shown && (
          <ConfusionPanel
            testId="val-confusion"
            title={`Validation, epoch ${shown.epoch + 1}${shown === kept && run.status !== 'running' ? ' (kept weights)' : ''}`}
            matrix={shown.confusion}
            classes={classes}
            examples={valExamples}
            fileName={`${run.taskName} run ${run.cell + 1}.${run.repeat + 1} validation epoch ${shown.epoch + 1}`}
          />
        )}
        {run.test && (
          <ConfusionPanel
            testId="test-confusion"
            title="Test set"
            matrix={run.test.confusion}
            classes={classes}
            examples={examples}
            runId={run.modelSaved ? run.id : undefined}
            fileName={`${run.taskName} run ${run.cell + 1}.${run.repeat + 1} test confusion`}
          />
        )}
      </div>
    </section>
  );
}
