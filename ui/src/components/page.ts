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
