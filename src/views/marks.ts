/**
 * Token and network marks: small inline SVGs (simple shapes in each one's colour, no text), loaded lazily after the
 * first view. An asset or network without one gets its first letter on a neutral disc. A host hides them with
 * `::part(token-mark)` / `::part(network-mark)`.
 */
import { css, html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

const disc = (fill: string, shape: SVGTemplateResult): TemplateResult =>
  html`<svg viewBox="0 0 32 32" width="100%" height="100%" focusable="false">
    <circle cx="16" cy="16" r="16" fill=${fill} />
    ${shape}
  </svg>`;

const diamond = svg`<path d="M16 4l7.5 12.3L16 21l-7.5-4.7zm0 18.6l7.5-4.7L16 28l-7.5-10.1z" fill="#fff" />`;
const usd = svg`<path d="M17.3 7v2.2c2.2.3 3.8 1.5 4.2 3.5h-2.7c-.3-.9-1.2-1.4-2.6-1.4-1.6 0-2.4.6-2.4 1.5 0 1 .8 1.3 3 1.7 3 .5 4.8 1.4 4.8 3.9 0 2.1-1.6 3.5-4.3 3.9V25h-2.6v-2.2c-2.6-.3-4.3-1.7-4.5-3.9h2.7c.3 1.1 1.3 1.7 3 1.7 1.7 0 2.6-.6 2.6-1.6s-.8-1.4-3-1.8c-2.9-.5-4.7-1.3-4.7-3.8 0-2 1.6-3.4 3.9-3.8V7z" fill="#fff" />`;

const TOKENS: Record<string, TemplateResult> = {
  USDC: disc('#2775ca', usd),
  USDT: disc('#26a17b', svg`<path d="M8 8h16v3.6h-6.2V25h-3.6V11.6H8z" fill="#fff" />`),
  DAI: disc('#f5ac37', usd),
  EURC: disc(
    '#2775ca',
    svg`<path d="M20.5 10.2a6.2 6.2 0 0 0-8.3 3.6H10v2h1.8v.4H10v2h2.2a6.2 6.2 0 0 0 8.3 3.6l-.8-2.2a3.8 3.8 0 0 1-5-1.4h3.4v-2h-4v-.4h4v-2h-3.4a3.8 3.8 0 0 1 5-1.4z" fill="#fff" />`,
  ),
  ETH: disc('#627eea', diamond),
  BTC: disc('#f7931a', svg`<path d="M11 8h7a4 4 0 0 1 2.8 6.9A4.3 4.3 0 0 1 19 24h-8zm3 3v4h3.5a2 2 0 0 0 0-4zm0 7v3h4a1.5 1.5 0 0 0 0-3z" fill="#fff" />`),
  BNB: disc('#f0b90b', svg`<path d="M16 7l3 3-3 3-3-3zm-6 6l3 3-3 3-3-3zm12 0l3 3-3 3-3-3zm-6 6l3 3-3 3-3-3z" fill="#fff" />`),
};

const NETWORKS: Record<string, TemplateResult> = {
  ethereum: TOKENS.ETH!,
  polygon: disc('#8247e5', svg`<path d="M12 10l4 2.3v4.6L12 19.2l-4-2.3v-4.6zm8 3l4 2.3v4.6L20 22.2l-4-2.3" fill="none" stroke="#fff" stroke-width="2.2" />`),
  bsc: TOKENS.BNB!,
  tron: disc('#eb0029', svg`<path d="M8 9l16 3.5L15 25z" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round" />`),
  arbitrum: disc('#213147', svg`<path d="M16 6l8.7 5v10L16 26l-8.7-5V11z" fill="none" stroke="#28a0f0" stroke-width="2.4" />`),
  optimism: disc('#ff0420', svg`<circle cx="16" cy="16" r="6" fill="none" stroke="#fff" stroke-width="3" />`),
  base: disc('#0052ff', svg`<path d="M16 25a9 9 0 1 0-8.9-10.3h11.7v2.6H7.1A9 9 0 0 0 16 25z" fill="#fff" />`),
  solana: disc('#14151a', svg`<path d="M10 10h13l-2.5 2.6H7.5zm2.5 4.7h13L23 17.3H10zm-2.5 4.7h13L20.5 22H7.5z" fill="#14f195" />`),
};

/**
 * A token's (by symbol) or a network's (by the API's name, e.g. `polygon`) mark, with an optional badge in its corner
 * (a token's network): drawn when it is known here, else its first letter on a neutral disc.
 */
export function mark(kind: 'token' | 'network', code: string, badge?: TemplateResult): TemplateResult {
  const drawn = (kind === 'token' ? TOKENS[code.toUpperCase()] : NETWORKS[code.toLowerCase()]) ?? code.charAt(0).toUpperCase();
  return html`<span class="mark ${typeof drawn === 'string' ? 'letter' : ''}" part="${kind}-mark" aria-hidden="true"
    >${drawn}${badge ? html`<span class="badge">${badge}</span>` : nothing}</span
  >`;
}

/** The marks' styles, adopted with them. */
export const markStyles = css`
  .mark {
    position: relative;
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 1.6rem;
    height: 1.6rem;
    font-size: 0.8rem;
  }
  .letter {
    border-radius: 50%;
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .badge {
    position: absolute;
    inset: auto -0.25rem -0.25rem auto;
    width: 0.85rem;
    height: 0.85rem;
    font-size: 0.5rem;
    border-radius: 50%;
    box-shadow: 0 0 0 2px var(--_bg);
  }
  .badge .mark {
    width: 100%;
    height: 100%;
  }
`;
