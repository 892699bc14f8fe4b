// A Service Catalog product that SageMaker Studio lists as a project template, with every
// released version kept as a locked ProductStackHistory snapshot.
import { Tags } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';

/** Tag that makes a Service Catalog product visible in SageMaker Studio. */
export const STUDIO_VISIBILITY_TAG = 'sagemaker:studio-visibility';

/** One published version of a product. */
export interface ProductVersionEntry {
  /** Version name shown in Service Catalog and Studio (e.g. `1.0.0`). */
  readonly name: string;
  /** A locked version can never change: its snapshot is compared at every synth. */
  readonly locked: boolean;
  /**
   * What changed in this version.
   * @default - none
   */
  readonly description?: string;
}

/** Properties of {@link StudioVisibleProduct}. */
export interface StudioVisibleProductProps {
  /** The product stack of the current version. */
  readonly productStack: servicecatalog.ProductStack;
  /** Name shown in Studio and Service Catalog. */
  readonly productName: string;
  /** Description shown in Studio. */
  readonly description: string;
  /** Owner (team) of the product. */
  readonly owner: string;
  /** Versions, oldest first; the last one is built from `productStack`, the others from snapshots. */
  readonly versions: ProductVersionEntry[];
  /** Directory of the locked snapshots (committed), e.g. `templates/<name>/versions`. */
  readonly snapshotDirectory: string;
  /**
   * Support description.
   * @default - none
   */
  readonly supportDescription?: string;
  /**
   * Support e-mail.
   * @default - none
   */
  readonly supportEmail?: string;
  /**
   * Support URL.
   * @default - none
   */
  readonly supportUrl?: string;
  /**
   * Distributor shown in Service Catalog.
   * @default - none
   */
  readonly distributor?: string;
}

/** A Studio-visible CloudFormation product whose versions are kept with ProductStackHistory. */
export class StudioVisibleProduct extends Construct {
  /** The Service Catalog product. */
  public readonly product: servicecatalog.CloudFormationProduct;
  /** The history that writes and reads the version snapshots. */
  public readonly history: servicecatalog.ProductStackHistory;
  /** The product stack of the current version. */
  public readonly productStack: servicecatalog.ProductStack;

  constructor(scope: Construct, id: string, props: StudioVisibleProductProps) {
    super(scope, id);
    validateVersions(props.versions);
    this.productStack = props.productStack;
    const current = props.versions[props.versions.length - 1];
    this.history = new servicecatalog.ProductStackHistory(this, 'History', {
      productStack: props.productStack,
      currentVersionName: current.name,
      currentVersionLocked: current.locked,
      description: current.description,
      directory: props.snapshotDirectory,
    });
    const productVersions = [
      ...props.versions.slice(0, -1).map((v) => ({
        ...this.history.versionFromSnapshot(v.name),
        description: v.description,
      })),
      this.history.currentVersion(),
    ];
    this.product = new servicecatalog.CloudFormationProduct(this, 'Product', {
      productName: props.productName,
      description: props.description,
      owner: props.owner,
      distributor: props.distributor,
      supportDescription: props.supportDescription,
      supportEmail: props.supportEmail,
      supportUrl: props.supportUrl,
      productVersions,
    });
    Tags.of(this.product).add(STUDIO_VISIBILITY_TAG, 'true');
  }
}

/** Checks a version list: non-empty, unique names, only the last one may be unlocked. */
export function validateVersions(versions: ProductVersionEntry[]): void {
  if (versions.length === 0) {
    throw new Error('versions: at least one version is required');
  }
  const names = new Set<string>();
  versions.forEach((v, i) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(v.name)) {
      throw new Error(`versions[${i}].name: '${v.name}' is not a valid version name`);
    }
    if (names.has(v.name)) {
      throw new Error(`versions[${i}].name: duplicate version '${v.name}'`);
    }
    names.add(v.name);
    if (!v.locked && i !== versions.length - 1) {
      throw new Error(`versions[${i}].locked: only the last (current) version may be unlocked`);
    }
  });
}
