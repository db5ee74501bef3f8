// Lookups every route plugin makes, with the catalog's error when the thing is missing.
import type { Project } from '../../../shared/schemas.ts';
import { ApiError } from '../errors.ts';
import type { Store } from '../store/types.ts';

export async function projectOr404(store: Store, projectId: string): Promise<Project> {
  const project = await store.getProject(projectId);
  if (!project) throw new ApiError('PROJECT_NOT_FOUND');
  return project;
}
