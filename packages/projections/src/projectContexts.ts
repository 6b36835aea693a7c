import type { Catalogue } from '@il/domain';
import type { ProjectContext, ViewChange } from './viewChange.js';

/**
 * What the fold needs per project (catalogue, start date), kept in memory and updated as registrations go by, also
 * within a batch that has not committed yet. `load*` read the adapter's views for projects registered earlier.
 */
export function createProjectContexts<C>(load: {
  project(client: C, projectId: string): Promise<{ programmeId: string; startDate: string } | undefined>;
  catalogue(client: C, programmeId: string): Promise<Catalogue | undefined>;
}) {
  const catalogues = new Map<string, Catalogue>();
  const projects = new Map<string, { programmeId: string; startDate: string }>();
  return {
    async contextOf(client: C, projectId: string): Promise<ProjectContext | undefined> {
      let project = projects.get(projectId);
      if (!project) {
        project = await load.project(client, projectId);
        if (!project) return undefined;
        projects.set(projectId, project);
      }
      let catalogue = catalogues.get(project.programmeId);
      if (!catalogue) {
        catalogue = await load.catalogue(client, project.programmeId);
        if (!catalogue) return undefined;
        catalogues.set(project.programmeId, catalogue);
      }
      return { catalogue, startDate: project.startDate };
    },
    remember(change: ViewChange): void {
      if (change.kind === 'programme') catalogues.set(change.programme.programmeId, change.programme.catalogue);
      if (change.kind === 'project')
        projects.set(change.project.projectId, {
          programmeId: change.project.programmeId,
          startDate: change.project.startDate,
        });
    },
    clear(): void {
      catalogues.clear();
      projects.clear();
    },
  };
}
