/**
 * What the first view shows once it is there, loaded beside the configuration in one chunk: the token and network
 * marks, the step indicator and the provider's mark (none is drawn until then), and the live token price.
 */
export { mark, markStyles } from './marks.js';
export { chromeStyles, poweredBy, progress } from './chrome.js';
export { enExtras } from '../i18n/en-extras.js';
export { PriceController } from '../controllers/price-controller.js';
