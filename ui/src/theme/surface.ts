import { makeStyles, shorthands, tokens } from '@fluentui/react-components';

/**
 * The look of a Fluent `Card` (filled, medium, vertical) for a plain `div`. The start screen's
 * cards hold no interaction of their own, and Fluent's Card sets up its keyboard-focus machinery
 * (Tabster) as it mounts, which costs the first paint about as much as the rest of the screen.
 * Same CSS as Card's own styles (@fluentui/react-card, useCardStyles), so it looks the same, but
 * for one detail of the shadow: Card's `shadow4` has a faint 2 px blur all round, which WebKitGTK's
 * CPU renderer (Linux without GPU acceleration) paints slowly – about 30 ms for these two cards,
 * a tenth of the whole start. Here that ring is drawn unblurred, 1 px at a quarter of its strength:
 * measured against the blur, no pixel differs by more than 3 of 255 levels (dark: 1).
 */
export const useSurfaceStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    position: 'relative',
    boxSizing: 'border-box',
    overflow: 'hidden',
    padding: '12px',
    gap: '12px',
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: `0 0 0 1px color-mix(in srgb, ${tokens.colorNeutralShadowAmbient} 25%, transparent), 0 2px 4px ${tokens.colorNeutralShadowKey}`,
    // Card draws its border on a layer above the content: transparent, except in forced colours.
    '::after': {
      content: '""',
      position: 'absolute',
      inset: 0,
      pointerEvents: 'none',
      ...shorthands.borderStyle('solid'),
      ...shorthands.borderWidth(tokens.strokeWidthThin),
      ...shorthands.borderColor(tokens.colorTransparentStroke),
      borderRadius: tokens.borderRadiusMedium,
    },
  },
});
