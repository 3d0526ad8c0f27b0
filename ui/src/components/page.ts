import { makeStyles, tokens } from '@fluentui/react-components';

/** The frame every screen shares: centred, padded, at one of three widths. */
export const usePageStyles = makeStyles({
  page: {
    flexGrow: 1,
    width: '100%',
    margin: '0 auto',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
  },
  narrow: { maxWidth: '720px' },
  medium: { maxWidth: '880px' },
  wide: { maxWidth: '1040px' },
});

/** Blocks the journey's screens share: a column of cards, a card, a numbered list, a code block,
 * a quiet hint, and the back button at the start of a screen. */
export const useBlockStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  code: {
    margin: 0,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  hint: { color: tokens.colorNeutralForeground3 },
  back: { alignSelf: 'flex-start' },
});
