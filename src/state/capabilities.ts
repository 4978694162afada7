/** What this browser offers that changes the page (no DOM work here, only questions). */
export { hasDirectoryPicker } from '../services/importer';
