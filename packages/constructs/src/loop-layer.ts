// A part of the product stack as the README's loop diagram names it (storage, loop parameters, a role
// family, the build environment, a pipeline, the event wiring): a construct with its own props,
// validation and grant methods that creates its resources in its parent's scope, next to itself. The
// resources keep the construct paths of the single-constructor stack the parts were split from, and with
// them every logical id, path metadata entry and DependsOn order: provisioned projects see a
// byte-identical template. (To nest the resources under their part instead, make `resourceScope` the
// part itself; that renames every logical id, so only with a new template version.)
import { Construct } from 'constructs';

/** Base class of the product stack's parts. */
export abstract class LoopLayer extends Construct {
  /** Where this part creates its resources: its parent (see the header). */
  protected readonly resourceScope: Construct;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.resourceScope = scope;
  }
}
