/**
 * Where users take this product from: the one place that names its GitHub repository and the major
 * tag users follow. The repository has no public home yet, so the owner is the placeholder `OWNER`
 * that the docs use; change it here (scripts/generate-docs.mjs's PUBLISHED_PREFIX and the committed
 * workflows follow, and test/workflows/product-name.test.ts fails on any copy that does not).
 */
export const PRODUCT_REPOSITORY = 'OWNER/trinity-issue-sandbox';

/** The moving major tag (docs/actions.md, 'Versions'): v1 follows the newest v1.x.y release. */
export const PRODUCT_MAJOR_TAG = 'v1';

/** The reusable workflow every caller names, in this repository. */
export const REUSABLE_WORKFLOW_PATH = '.github/workflows/issue-sandbox-reusable.yml';

/** `uses:` of the caller's one job. */
export const REUSABLE_WORKFLOW_USES = `${PRODUCT_REPOSITORY}/${REUSABLE_WORKFLOW_PATH}@${PRODUCT_MAJOR_TAG}`;
