/** What this browser and build offer that changes the page (no DOM work here, only questions and constants). */
export { hasDirectoryPicker } from '../services/importer';
export { DEMO_SIZES } from '../services/demo';
