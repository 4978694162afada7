import { makeAspectFolder, makeBasicFolder, makeManyFolder, makeOneClassFolder } from './support/folders';
import { dataDir } from './support/paths';

export default function globalSetup() {
  makeBasicFolder(dataDir('basic'));
  makeOneClassFolder(dataDir('one-class'));
  makeManyFolder(dataDir('many'), 400);
  makeAspectFolder(dataDir('aspect'));
}
