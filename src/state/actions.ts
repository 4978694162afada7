/** What the page's buttons do: the Lab's methods, bound once (stable identities for React's effects). */
import type { Lab } from '../lab/lab';

export function labActions(lab: Lab) {
  const { data, backends, training, labelling, cluster } = lab;
  return {
    setResize: data.setResize.bind(data),
    setSplit: data.setSplit.bind(data),
    importFolder: data.importFolder.bind(data),
    importDrop: data.importDrop.bind(data),
    importFileList: data.importFileList.bind(data),
    importPicked: data.importPicked.bind(data),
    importDemo: data.importDemo.bind(data),
    cancelImport: data.cancelImport.bind(data),
    openDataset: data.openDataset.bind(data),
    deleteCached: data.deleteCached.bind(data),
    refreshCached: data.refreshCached.bind(data),
    startUp: data.startUp.bind(data),
    dismissNotice: data.dismissNotice.bind(data),
    discardUnfinished: data.discardUnfinished.bind(data),
    closeDataset: data.closeDataset.bind(data),
    importNpz: data.importNpz.bind(data),
    cancelNpz: data.cancelNpz.bind(data),
    exportNpz: data.exportNpz.bind(data),
    showError: data.showError.bind(data),

    detectBackend: backends.detectBackend.bind(backends),
    timeBackends: backends.timeBackends.bind(backends),

    openTraining: training.openTraining.bind(training),
    selectTask: training.selectTask.bind(training),
    updateDraft: training.updateDraft.bind(training),
    loadPreset: training.loadPreset.bind(training),
    resetDraft: training.resetDraft.bind(training),
    train: training.train.bind(training),
    trainEveryTask: training.trainEveryTask.bind(training),
    stop: training.stop.bind(training),
    resume: training.resume.bind(training),
    selectRun: training.selectRun.bind(training),
    overrideBackend: training.overrideBackend.bind(training),
    deleteJob: training.deleteJob.bind(training),
    showTrainError: training.showError.bind(training),

    refreshLabellers: labelling.refreshLabellers.bind(labelling),
    chooseLabeller: labelling.chooseLabeller.bind(labelling),
    setRoute: labelling.setRoute.bind(labelling),
    setFlatRoute: labelling.setFlatRoute.bind(labelling),
    compareThree: labelling.compareThree.bind(labelling),
    labelImages: labelling.labelImages.bind(labelling),
    compare: labelling.compare.bind(labelling),
    importLabeller: labelling.importLabeller.bind(labelling),
    deleteImported: labelling.deleteImported.bind(labelling),
    modelZip: labelling.modelZip.bind(labelling),
    explainImage: labelling.explainImage.bind(labelling),
    labellerBundle: labelling.labellerBundle.bind(labelling),
    showLabelError: labelling.showError.bind(labelling),

    runElsewhere: cluster.runElsewhere.bind(cluster),
    importResults: cluster.importResults.bind(cluster),
  };
}

export type LabActions = ReturnType<typeof labActions>;
