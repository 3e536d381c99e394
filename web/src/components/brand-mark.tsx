/** AgentVine's mark (decorative: the text or label beside it names the product). */
export const BrandMark = ({ size, className }: { size: number; className?: string }) => (
  <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" className={className}>
    <rect width="32" height="32" rx="7" fill="currentColor" />
    <path
      d="M9 22c4-1 6-4 7-8m0 0c1 4 3 7 7 8M16 14V8"
      stroke="var(--brand-ink)"
      strokeWidth="2.6"
      fill="none"
      strokeLinecap="round"
    />
  </svg>
);
